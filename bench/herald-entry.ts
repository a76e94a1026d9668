/** How the benchmarks start Herald: the built entry point under the heap settings `npm start` uses (package.json). */
export const HERALD_ENTRY = ['--max-old-space-size=160', '--max-semi-space-size=4', 'dist/main.js'];
