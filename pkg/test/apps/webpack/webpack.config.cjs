// webpack 5 resolves `new URL('./dist/aftersale_rules_bg.wasm', import.meta.url)` in the
// package as an asset by itself: no loader, no plugin.
const path = require('path');

module.exports = {
  mode: 'production',
  entry: './main.js',
  output: { path: path.resolve(__dirname, 'dist'), filename: 'main.js', publicPath: '/webpack/', clean: true },
  experiments: { topLevelAwait: false },
  performance: { hints: false },
};
