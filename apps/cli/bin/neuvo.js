#!/usr/bin/env node
// The `neuvo` command. Runs the TypeScript sources through swc (decorator metadata included, which Nest's
// dependency injection needs), so there is no build step between `npm install` and `npx neuvo`.
require('@swc-node/register');
require('../src/main.ts');
