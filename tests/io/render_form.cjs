// Render the case schema as a form with RJSF (react-jsonschema-form), server-side, as an
// integrator's front-end would: `node render_form.cjs SCHEMA.json CASE.json` prints the HTML.
// Run by tests/io/test_schema_form.py with NODE_PATH=.ci/node/node_modules (.ci/run installs
// the packages there with npm ci).
"use strict";
const { readFileSync } = require("node:fs");
const React = require("react");
const { renderToStaticMarkup } = require("react-dom/server");
const Form = require("@rjsf/core").default;
const { customizeValidator } = require("@rjsf/validator-ajv8");
const Ajv2020 = require("ajv/dist/2020").default;

const schema = JSON.parse(readFileSync(process.argv[2], "utf8"));
const formData = JSON.parse(readFileSync(process.argv[3], "utf8"));
// The schema is draft 2020-12; RJSF's default Ajv is draft 7.
const validator = customizeValidator({ AjvClass: Ajv2020 });
process.stdout.write(renderToStaticMarkup(React.createElement(Form, { schema, formData, validator })));
