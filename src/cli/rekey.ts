import { Command } from 'commander';
import { exitOnConfigError, loadConfig } from '../config.js';

/**
 * `herald rekey`: re-seals every sealed value under a new encryption key. The current key comes from
 * HERALD_ENCRYPTION_KEY (unset when values are stored in plain), the new one from HERALD_NEW_ENCRYPTION_KEY.
 */
export function rekeyCommand(): Command {
  return new Command('rekey')
    .description(
      're-seal endpoint credentials, secrets and headers under HERALD_NEW_ENCRYPTION_KEY (current key: HERALD_ENCRYPTION_KEY), in one transaction; stop Herald first, then restart it with the new key',
    )
    .action(async () => {
      let config;
      try {
        config = loadConfig();
      } catch (e) {
        exitOnConfigError(e);
      }
      // The store's modules load only here, as for `serve` and `migrate`.
      const { openStore } = await import('../store/database.js');
      const { rekeyStore, NEW_KEY_VARIABLE, KEY_VARIABLE } = await import('../services/encryption-key.js');
      const { explainStoreFailure } = await import('../startup-failure.js');
      const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl }).catch((e: unknown) => exitOnConfigError(explainStoreFailure(e, config)));
      let result;
      try {
        result = await rekeyStore(store, config.encryptionKey, process.env[NEW_KEY_VARIABLE] || undefined);
      } catch (e) {
        await store.close();
        exitOnConfigError(e);
      }
      await store.close();
      process.stdout.write(
        `re-sealed ${result.values} values of ${result.endpoints} endpoints under ${NEW_KEY_VARIABLE}; start Herald with ${KEY_VARIABLE} set to that key\n`,
      );
    });
}
