// A local Nx plugin (nx.json "plugins"): every project built by `tsc -p tsconfig.build.json`
// gets a continuous `watch` target, the same compile in watch mode. The apps' `dev` targets
// depend on `^watch`, so during `npm run dev` a change in libs/nest-auth, libs/web-auth or
// libs/config is rebuilt into its dist/ and the running apps pick it up (node --watch, Next's
// dev server). Inferred here, not written into each library's package.json, so the libraries
// (which are published) carry nothing that only this workspace needs.
const fs = require('node:fs');
const path = require('node:path');

/** Workspace members only: a tsconfig.build.json elsewhere (the consumer test's apps) is not ours. */
function isWorkspaceMember(workspaceRoot, projectRoot) {
  const { workspaces = [] } = JSON.parse(
    fs.readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8'),
  );
  return workspaces.includes(projectRoot.split(path.sep).join('/'));
}
const { createNodesFromFiles } = require('nx/src/devkit-exports');

/** @type {import('nx/src/devkit-exports').CreateNodesV2} */
exports.createNodesV2 = [
  '**/tsconfig.build.json',
  (configFiles, _options, context) =>
    createNodesFromFiles(
      (configFile) => {
        const projectRoot = path.dirname(configFile);
        if (!isWorkspaceMember(context.workspaceRoot, projectRoot)) return {};
        return {
          projects: {
            [projectRoot]: {
              targets: {
                watch: {
                  command: 'tsc -p tsconfig.build.json --watch --preserveWatchOutput',
                  options: { cwd: projectRoot },
                  continuous: true,
                  cache: false,
                },
              },
            },
          },
        };
      },
      configFiles,
      _options,
      context,
    ),
];
