// Lets the benchmarks require the TypeScript test support they share with the integration tests (the genealogy
// builder): .ts files are transpiled in memory with the repository's own TypeScript, no type check.
'use strict';
const fs = require('node:fs');
const ts = require('typescript');

let installed = false;

/** Installs the .ts loader once. */
function registerTypeScript() {
  if (installed) return;
  installed = true;
  require.extensions['.ts'] = (module, filename) => {
    const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        resolveJsonModule: true,
      },
      fileName: filename,
    });
    module._compile(outputText, filename);
  };
}

module.exports = { registerTypeScript };
