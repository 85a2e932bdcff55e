// ts-jest wants {name, version, factory}; @nestjs/swagger/plugin exports `before`.
// Same options as nest-cli.json so e2e /docs-json matches `nest build`.
const plugin = require('@nestjs/swagger/plugin');

module.exports.name = 'nestjs-swagger-transformer';
module.exports.version = 1;
module.exports.factory = (cs) =>
  plugin.before({ introspectComments: true, classValidatorShim: true, dtoFileNameSuffix: ['.dto.ts'] }, cs.program);
