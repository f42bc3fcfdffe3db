/**
 * jest for the models (no DOM rendering needed): ts-jest, with the ES-module
 * packages of JupyterLab and Lumino transformed too.
 */
const esModules = ['@jupyterlab', '@lumino', '@jupyter', 'lib0', 'y-protocols', 'yjs', 'nanoid'].join('|');

module.exports = {
  testEnvironment: 'node',
  testRegex: 'src/.*/.*\\.spec\\.tsx?$',
  transform: {
    '^.+\\.[tj]sx?$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }]
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esModules})/)`],
  modulePathIgnorePatterns: [
    '<rootDir>/.venv',
    '<rootDir>/lib',
    '<rootDir>/ui-tests',
    '<rootDir>/jupyterlab_dataops'
  ],
  moduleNameMapper: {
    '\\.(css|svg)$': '<rootDir>/jest/asset.js'
  }
};
