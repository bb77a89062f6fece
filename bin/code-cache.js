// Loads the CLI bundle (dist/cli/, built by scripts/build.ts: scripts/cli-bundle.ts describes its
// packs) and keeps V8's compiled code for it between runs, so that a command does not parse and
// compile the same half megabyte of JavaScript every time it starts.
//
// A pack is a function of `define(name, moduleFunction)` calls. It is compiled as a classic script
// (vm.Script), the only kind Node 20 can feed a code cache, and its module functions are called
// once, on first require. After the command, the code V8 compiled for every pack that had no
// usable cache is written to the user's cache directory ($MSGRAPH_USER_CACHE_DIR, else
// $XDG_CACHE_HOME/msgraph-user, else ~/.cache/msgraph-user), one file per pack, keyed by the
// bundle's build id and the Node version and platform, written to a temporary file (mode 0600)
// and renamed into place. A missing, foreign, truncated or corrupt cache file is ignored (V8 or
// the checksum here rejects it) and rewritten; a cache directory that cannot be written only
// costs the time: the loader never fails a command or prints anything because of its cache.
//
// Node 22+ also has module.enableCompileCache(); loading the same packs through require() with
// it was measured on Node 24 and was slower (wall ~10 %, CPU ~40 %), so every version uses this.
'use strict';
const fs = require('node:fs');
const { homedir } = require('node:os');
const { isAbsolute, join } = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');
// SHA-1 of the payload guards against a damaged file, which V8 (whose own checksum is off in
// release builds) could crash on. node:crypto costs nothing extra: every path that loads a pack
// loads it (the manifest's hash, TLS).
const { createHash } = require('node:crypto');

const MAGIC = 'msgraph-user code cache 2\n';
const DIGEST_BYTES = 20;
const HEADER_BYTES = MAGIC.length + 4 + DIGEST_BYTES; // the magic, the payload's length, SHA-1

function cacheDirectory(env) {
  if (env.MSGRAPH_USER_CACHE_DIR) return env.MSGRAPH_USER_CACHE_DIR;
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'msgraph-user');
}

const digest = (data) => createHash('sha1').update(data).digest();

function readCache(file) {
  let data;
  try {
    data = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  if (data.length <= HEADER_BYTES || data.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    return undefined;
  }
  const payload = data.subarray(HEADER_BYTES);
  const length = data.readUInt32LE(MAGIC.length);
  const sum = data.subarray(MAGIC.length + 4, HEADER_BYTES);
  return length === payload.length && sum.equals(digest(payload)) ? payload : undefined;
}

function writeCache(dir, file, build, payload) {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const header = Buffer.alloc(HEADER_BYTES);
    header.write(MAGIC, 0, 'latin1');
    header.writeUInt32LE(payload.length, MAGIC.length);
    digest(payload).copy(header, MAGIC.length + 4);
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, Buffer.concat([header, payload]), { mode: 0o600, flag: 'wx' });
    try {
      fs.renameSync(temporary, file);
    } catch {
      fs.rmSync(temporary, { force: true });
      return;
    }
    // Caches of other builds (an upgrade left them) are dead weight.
    for (const other of fs.readdirSync(dir)) {
      if (other.endsWith('.v8') && !other.includes(`-${build}-`)) {
        fs.rmSync(join(dir, other), { force: true });
      }
    }
  } catch {
    // Only costs time on the next run.
  }
}

/**
 * A loader for the packs in `bundleDir`: `load(name)` returns a module's exports, `saveCache()`
 * writes the caches that were missing or rejected.
 */
function createLoader(bundleDir, env) {
  const cacheDir = cacheDirectory(env);
  const definitions = new Map();
  const modules = new Map();
  const toWrite = [];
  // What the bundle requires besides its own modules: Node's built-ins and files in dist/.
  const external = require;
  // import.meta.url of every module: the bundle only asks which folder it runs from.
  const bundleUrl = pathToFileURL(join(bundleDir, 'bundle.cjs')).href;

  function define(name, moduleFunction) {
    if (!definitions.has(name)) definitions.set(name, moduleFunction);
  }

  function readPack(pack) {
    const file = join(bundleDir, `${pack}.cjs`);
    // The build writes packs in ASCII: Latin-1 reads them faster than UTF-8 would.
    const source = fs.readFileSync(file, 'latin1');
    const build = /^\/\/ msgraph-user build (\w+)/.exec(source)?.[1] ?? 'unknown';
    const cacheFile = join(
      cacheDir,
      `${pack}-${build}-node${process.version}-${process.platform}-${process.arch}.v8`,
    );
    const cachedData = readCache(cacheFile);
    const script = new vm.Script(source, { filename: file, cachedData });
    if (!cachedData || script.cachedDataRejected) toWrite.push({ script, cacheFile, build });
    script.runInThisContext()(define);
  }

  function requireFrom(specifier) {
    if (specifier.startsWith('./')) return load(specifier.slice(2).replace(/\.js$/, ''));
    return external(specifier);
  }

  function load(name) {
    const loaded = modules.get(name);
    if (loaded) return loaded.exports;
    if (!definitions.has(name)) readPack(name);
    const module = { exports: {} };
    modules.set(name, module);
    definitions.get(name)(module, module.exports, requireFrom, bundleUrl);
    return module.exports;
  }

  return {
    /** Defines the modules of a pack without running any. */
    preload: readPack,
    load,
    saveCache() {
      for (const { script, cacheFile, build } of toWrite.splice(0)) {
        writeCache(cacheDir, cacheFile, build, script.createCachedData());
      }
    },
  };
}

module.exports = { createLoader, cacheDirectory };
