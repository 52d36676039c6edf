import { startedWebApps } from './processes';
import { rememberedSecrets, secretsIn } from './secrets';

/**
 * Fails when any secret a test of this file used (./secrets) appears in the output of any
 * web app the file started: passwords, session cookie values, JWTs, client secrets.
 */
export function expectNoSecretsLogged(): void {
  const apps = startedWebApps();
  expect(apps.length).toBeGreaterThan(0);
  // Something was remembered (the app secret at least), and every app did log something,
  // so an empty comparison cannot pass by accident.
  expect(rememberedSecrets().length).toBeGreaterThan(0);
  for (const app of apps) {
    const output = app.output();
    expect(output.length).toBeGreaterThan(0);
    expect({ app: app.url, leaked: secretsIn(output) }).toEqual({ app: app.url, leaked: [] });
  }
}
