import { Command } from 'commander';
import type { CliDeps } from './args.js';
import { makeClient, type Client } from './client.js';
import { deliveriesCommand, deliveryCommand, recoverCommand, retryCommand, tailCommand } from './deliveries.js';
import { endpointCommands } from './endpoint.js';
import { entityCommands } from './entity.js';
import { messagesCommand } from './messages.js';
import { makeOutput, reportError } from './output.js';
import { publishCommand } from './publish.js';
import { rekeyCommand } from './rekey.js';
import { migrateCommand, serveCommand } from './serve.js';
import { subscriptionCommands } from './subscription.js';
import { topicCommands } from './topic.js';

/** The `herald` command: the server itself (serve, migrate) and an API client for operators and scripts. */
export function buildProgram(): Command {
  let client: Client | null = null;
  const deps: CliDeps = {
    client: () => (client ??= makeClient()),
    output: (cmd) => makeOutput(Boolean(cmd.optsWithGlobals().json)),
  };
  const program = new Command('herald')
    .description('Herald webhook notifications. API commands use HERALD_URL (default http://localhost:8080) and HERALD_TOKEN (else ./data/admin-token).')
    .option('--json', "print the API's JSON instead of tables")
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 the API refused (the message and each field are printed) or a bad command line, 2 Herald unreachable.',
    );
  for (const cmd of [
    serveCommand(),
    migrateCommand(),
    rekeyCommand(),
    endpointCommands(deps),
    subscriptionCommands(deps),
    topicCommands(deps),
    publishCommand(deps),
    deliveriesCommand(deps),
    messagesCommand(deps),
    deliveryCommand(deps),
    retryCommand(deps),
    recoverCommand(deps),
    tailCommand(deps),
    entityCommands(deps),
  ]) {
    program.addCommand(cmd);
  }
  return program;
}

export async function runCli(argv: string[] = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (e) {
    return reportError(e);
  }
}

const code = await runCli();
if (code !== 0) process.exitCode = code;
