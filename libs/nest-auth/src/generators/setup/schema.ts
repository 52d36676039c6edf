/** Options of the `setup` generator (see schema.json, which Nx reads). */
export interface SetupGeneratorSchema {
  /** Nx project of the Nest app. */
  project?: string;
  /** Root of the Nest app relative to the tree root. Default: `.`. */
  directory?: string;
  /** Root module file relative to the app root. Default: `src/app.module.ts`. */
  module?: string;
  /** Do not run the package manager after editing package.json. Default: false. */
  skipInstall?: boolean;
}
