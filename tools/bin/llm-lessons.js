#!/usr/bin/env node
"use strict";
require("../dist/cli.js")
  .main(process.argv)
  .then(
    (code) => process.exit(code ?? 0),
    (err) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
