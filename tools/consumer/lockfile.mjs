// Builds a package-lock.json for a consumer app out of the workspace's own lock file, so that
// `npm install --offline` in the app needs only tarballs that the workspace's `npm install`
// already put in the npm cache: the same versions, the same integrity, no registry look-up.
//
// Written by hand because npm has no "install these packages at the versions of that other
// lock file" command; it walks Node's resolution over the lock file's `packages` keys.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** `node_modules/a/node_modules/b` -> ['node_modules/a/node_modules/b', 'node_modules/a', ''] */
function ancestors(key) {
  const out = [];
  let at = key;
  for (;;) {
    out.push(at);
    const cut = at.lastIndexOf('/node_modules/');
    if (cut >= 0) at = at.slice(0, cut);
    else if (at === '' || at.startsWith('node_modules/')) {
      if (at === '') break;
      at = '';
    } else {
      at = ''; // a workspace folder (libs/x): its parent is the root
    }
  }
  return [...new Set(out)];
}

/** Where Node would find `name` when required from the lock key `from`. */
function resolveKey(packages, from, name) {
  for (const dir of ancestors(from)) {
    const key = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[key]) return key;
  }
  return null;
}

function requiredEdges(entry) {
  const optionalPeers = entry.peerDependenciesMeta ?? {};
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ...Object.keys(entry.peerDependencies ?? {})
      .filter((name) => !optionalPeers[name]?.optional)
      .map((name) => ({ name, optional: false })),
  ];
}

export function integrityOf(file) {
  return `sha512-${crypto.createHash('sha512').update(fs.readFileSync(file)).digest('base64')}`;
}

/**
 * @param {object} options
 * @param {string} options.workspaceLock path of the workspace's package-lock.json
 * @param {string} options.origin lock key the app's own dependencies resolve from ('' = root,
 *   'tools/consumer' to pick that workspace's nested TypeScript 5)
 * @param {Record<string,string>} options.registryDeps dependency names of the app -> spec
 * @param {{name: string, tarball: string, relative: string}[]} options.tarballs packed libraries
 * @param {string} options.appName
 * @param {string} options.registry the registry the workspace installed from, ending in /
 * @returns {{ lock: object, versions: Record<string,string> }} the lock file and the version
 *   each direct dependency got (to write `^version` into the app's package.json)
 */
export function consumerLock({ workspaceLock, origin, registryDeps, tarballs, appName, registry }) {
  const { packages } = JSON.parse(fs.readFileSync(workspaceLock, 'utf8'));
  const out = {};
  const versions = {};
  // Consumer key -> workspace key, so nested placements keep Node's resolution valid.
  const placed = new Map();
  const queue = [];

  const place = (wsKey, consumerKey) => {
    if (placed.has(consumerKey)) {
      if (placed.get(consumerKey) !== wsKey) {
        const a = packages[placed.get(consumerKey)].version;
        const b = packages[wsKey].version;
        if (a !== b) throw new Error(`two versions of ${consumerKey} (${a}, ${b}) would collide`);
      }
      return;
    }
    placed.set(consumerKey, wsKey);
    const { dev: _d, devOptional: _o, peer: _p, ...entry } = packages[wsKey];
    if (!entry.resolved) {
      // The workspace lock file leaves registry URLs out; without one, npm would fetch the
      // package document to find the tarball. The URL npm downloaded it from is the cache key.
      const name = entry.name ?? consumerKey.slice(consumerKey.lastIndexOf('node_modules/') + 13);
      entry.resolved = `${registry}${name}/-/${name.split('/').pop()}-${entry.version}.tgz`;
    }
    out[consumerKey] = entry;
    queue.push({ wsKey, consumerKey, entry });
  };
  // A workspace key maps to the consumer tree by dropping its prefix up to the first node_modules.
  const toConsumer = (wsKey) => wsKey.slice(wsKey.indexOf('node_modules/'));

  const requireFrom = (fromWs, name, optional, why) => {
    const wsKey = resolveKey(packages, fromWs, name);
    if (!wsKey) {
      if (optional) return; // a platform package the registry here does not serve
      throw new Error(`${name} (needed by ${why}) is not in the workspace lock file`);
    }
    if (packages[wsKey].link) throw new Error(`${name} is a workspace link; pack it instead`);
    place(wsKey, toConsumer(wsKey));
  };

  for (const name of Object.keys(registryDeps)) {
    requireFrom(origin, name, false, appName);
    versions[name] = packages[resolveKey(packages, origin, name)].version;
  }
  for (const { name, tarball, relative } of tarballs) {
    const manifest = JSON.parse(
      fs.readFileSync(
        path.join(
          path.dirname(workspaceLock),
          packages[`node_modules/${name}`].resolved,
          'package.json',
        ),
        'utf8',
      ),
    );
    const key = `node_modules/${name}`;
    out[key] = {
      version: manifest.version,
      resolved: `file:${relative}`,
      integrity: integrityOf(tarball),
      license: manifest.license,
      ...(manifest.dependencies ? { dependencies: manifest.dependencies } : {}),
      ...(manifest.peerDependencies ? { peerDependencies: manifest.peerDependencies } : {}),
      ...(manifest.peerDependenciesMeta
        ? { peerDependenciesMeta: manifest.peerDependenciesMeta }
        : {}),
      ...(manifest.bin ? { bin: manifest.bin } : {}),
      ...(manifest.engines ? { engines: manifest.engines } : {}),
    };
    placed.set(key, packages[key].resolved);
    // A library's own dependencies resolve from its workspace folder.
    queue.push({ wsKey: packages[key].resolved, consumerKey: key, entry: out[key] });
  }

  while (queue.length > 0) {
    const { wsKey, consumerKey, entry } = queue.shift();
    for (const { name, optional } of requiredEdges(entry)) {
      // Already reachable in the consumer tree at the version the workspace resolves?
      const wsDep = resolveKey(packages, wsKey, name);
      if (!wsDep) {
        if (optional) continue;
        throw new Error(`${name} (needed by ${consumerKey}) is not in the workspace lock file`);
      }
      const consumerDep = toConsumer(wsDep);
      const visible = resolveKey(out, consumerKey, name);
      if (visible && packages[placed.get(visible)]?.version === packages[wsDep].version) continue;
      if (visible && visible !== consumerDep) {
        // Another version is visible from here: nest this one under the dependent.
        place(wsDep, `${consumerKey}/node_modules/${name}`);
      } else {
        place(wsDep, consumerDep);
      }
    }
  }

  return {
    versions,
    lock: {
      name: appName,
      lockfileVersion: 3,
      requires: true,
      packages: { '': { name: appName }, ...Object.fromEntries(Object.entries(out).sort()) },
    },
  };
}
