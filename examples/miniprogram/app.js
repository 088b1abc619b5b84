// @ts-check
// The demo server (`./run demo`) and a shopper's token. A real mini-program gets its session from
// its own server after `wx.login`, and its server's domain is set in the mini-program's admin
// console; the demo runs on this machine, so DevTools must not check domains (see README.md).
App({
  globalData: {
    apiBase: 'http://127.0.0.1:8080/',
    token: 'tok-alice',
  },
});
