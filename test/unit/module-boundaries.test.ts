import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * The direction of dependencies between the parts of src/ (see the comment at the top of src/app.ts):
 * api -> services -> delivery -> store, and nothing in delivery/ reaches back into services/. Every import counts,
 * type-only ones and `import()` too: a type that lives on the wrong side still ties the two together.
 */

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** The part a file belongs to: its top-level folder, or the file itself when it sits directly in src/. */
function partOf(file: string): string {
  const rel = relative(SRC, file).split(sep);
  return rel.length === 1 ? rel[0]!.replace(/\.ts$/, '') : rel[0]!;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

interface Edge {
  from: string;
  to: string;
  specifier: string;
}

/** Every relative import of every file under src/, resolved to the file it names. */
function importEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName).replace(/\.js$/, '.ts');
      edges.push({ from: file, to: target, specifier: fileName });
    }
  }
  return edges;
}

/** The part-to-part graph: for each pair, one import that makes it (named in failures). */
function partGraph(edges: Edge[]): Map<string, Map<string, Edge>> {
  const graph = new Map<string, Map<string, Edge>>();
  for (const e of edges) {
    const a = partOf(e.from);
    const b = partOf(e.to);
    if (a === b) continue;
    const out = graph.get(a) ?? new Map<string, Edge>();
    if (!out.has(b)) out.set(b, e);
    graph.set(a, out);
  }
  return graph;
}

/** Cycles between parts, each as the list of parts it passes through (Tarjan's strongly connected components). */
function cycles(graph: Map<string, Map<string, Edge>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const nodes = new Set<string>([...graph.keys(), ...[...graph.values()].flatMap((m) => [...m.keys()])]);
  function visit(v: string): void {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  }
  for (const v of [...nodes].sort()) if (!index.has(v)) visit(v);
  return found;
}

function describeEdge(e: Edge): string {
  return `${relative(SRC, e.from)} imports '${e.specifier}'`;
}

describe('module boundaries of src/', () => {
  const edges = importEdges();
  const graph = partGraph(edges);

  it('reads the import graph (it is not empty, and resolves imports to files that exist)', () => {
    assert.ok(edges.length > 100, `only ${edges.length} imports found: the parser is not reading src/`);
    const missing = edges.filter((e) => {
      try {
        return !statSync(e.to).isFile();
      } catch {
        return true;
      }
    });
    assert.deepEqual(missing.map(describeEdge), []);
    assert.ok(graph.get('services')?.has('store'), 'services -> store is not seen: the graph is wrong');
  });

  it('nothing in delivery/ imports from services/', () => {
    const wrong = edges.filter((e) => partOf(e.from) === 'delivery' && partOf(e.to) === 'services');
    assert.deepEqual(wrong.map(describeEdge), []);
  });

  it('nothing in store/ imports from services/, delivery/ or api/', () => {
    const wrong = edges.filter((e) => partOf(e.from) === 'store' && ['services', 'delivery', 'api'].includes(partOf(e.to)));
    assert.deepEqual(wrong.map(describeEdge), []);
  });

  it('services/ and delivery/ import nothing from api/, console/ or cli/', () => {
    const wrong = edges.filter((e) => ['services', 'delivery'].includes(partOf(e.from)) && ['api', 'console', 'cli'].includes(partOf(e.to)));
    assert.deepEqual(wrong.map(describeEdge), []);
  });

  it('no cycle between top-level parts (folders, and files directly in src/)', () => {
    const found = cycles(graph);
    const explained = found.map((parts) => {
      const inside = new Set(parts);
      const links = parts.flatMap((a) => [...(graph.get(a) ?? [])].filter(([b]) => inside.has(b)).map(([b, e]) => `${a} -> ${b} (${describeEdge(e)})`));
      return links.join('; ');
    });
    assert.deepEqual(explained, []);
  });

  it('the cycle finder finds a cycle when there is one', () => {
    const fake = (from: string, to: string): Edge => ({ from: join(SRC, from, 'x.ts'), to: join(SRC, to, 'y.ts'), specifier: `../${to}/y.js` });
    const g = partGraph([fake('a', 'b'), fake('b', 'c'), fake('c', 'a'), fake('c', 'd')]);
    assert.deepEqual(cycles(g), [['a', 'b', 'c']]);
    assert.deepEqual(cycles(partGraph([fake('a', 'b'), fake('b', 'c')])), []);
  });
});
