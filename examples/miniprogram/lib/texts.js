// The page's own words (headings, buttons, sentences around amounts), in both languages. The
// engine's vocabulary — kinds, reasons, codes, payers, deadlines — comes from the package's
// `labels` and the policy's `describe()`, never from here.
'use strict';

module.exports = {
  'zh-CN': {
    colon: '：', comma: '，', list: '、', title: '售后申请', order: '订单', orderNo: '订单号', items: '选择商品', qty: '数量',
    gift: '赠品', requestedAll: '已全部申请售后', kind: '售后类型', reason: '申请原因', condition: '商品状态',
    tags: '吊牌完好', packaging: '包装完好', used: '超出查验需要使用过', gifts: '赠品一并退回', evidence: '凭证',
    photos: '商品照片', description: '问题描述', descriptionPlaceholder: '请描述商品的问题', needs: '此原因需要',
    needsNothing: '此原因无需凭证，可选填', atLeast: function (n, what) { return '至少 ' + n + ' ' + (what === 'description_chars' ? '字' : what === 'videos' ? '段' : '张'); },
    outcome: '申请结果预览', eligible: '可以申请', refused: '不可申请', basis: '依据', alsoPossible: '也可以申请',
    warrantyUntil: function (d) { return '保修至 ' + d; },
    goods: '商品金额', shipping: '运费', givenBack: '补退', total: '退款合计', paidBackTo: '退回到',
    points: function (n) { return n + ' 积分'; }, postage: '退货运费', payerPays: function (who) { return who + '承担'; },
    noReturn: '无需寄回商品', compensation: '补偿', validUntil: function (d) { return d + ' 前有效'; }, review: '审核',
    autoApproved: '符合条件，提交后自动通过', notes: '提示', deadlines: '处理时限', by: function (d) { return d + ' 前'; },
    provisional: '暂定：当年节假日安排尚未公布', submit: '提交申请', submitSome: function (n) { return '提交申请（' + n + ' 件可申请的商品）'; },
    chooseFirst: '请先选择商品', nothingEligible: '所选商品都不能申请售后，无法提交', refusedNotSent: '不可申请的商品不会提交',
    accepted: function (id) { return '申请已受理，编号 ' + id; }, expectedRefund: '预计退款',
    mismatch: '提交时服务器的结果与预览不同，请查看最新结果后再提交', youSaw: function (a, b) { return '预览为 ' + a + '，实际为 ' + b; },
    ledgerMoved: '这笔订单刚有另一笔售后申请被受理', policyChanged: '售后规则已更新', otherChanged: '申请条件有变化',
    refusedAll: '该申请无法受理', busy: '服务繁忙，请稍后再试', offline: '网络连接失败，请稍后再试', forbidden: '无权操作此订单',
    failed: '提交失败，请稍后再试', loading: '加载中…', loadFailed: '订单加载失败，请稍后重试', sending: '提交中…',
  },
  en: {
    colon: ': ', comma: ', ', list: ', ', title: 'After-sales request', order: 'Order', orderNo: 'Order', items: 'Choose items', qty: 'Qty',
    gift: 'Gift', requestedAll: 'already requested in full', kind: 'Kind of request', reason: 'Reason', condition: 'Condition',
    tags: 'Tags attached', packaging: 'Packaging intact', used: 'Used beyond inspection', gifts: 'Gifts returned too', evidence: 'Evidence',
    photos: 'Photos', description: 'Description', descriptionPlaceholder: 'What is wrong with the item?', needs: 'This reason needs',
    needsNothing: 'This reason needs no evidence; add some if you like', atLeast: function (n, what) { return 'at least ' + n + (what === 'description_chars' ? ' characters' : ''); },
    outcome: 'What you will get', eligible: 'eligible', refused: 'not eligible', basis: 'Basis', alsoPossible: 'Also possible',
    warrantyUntil: function (d) { return 'Warranty until ' + d; },
    goods: 'Items', shipping: 'Shipping', givenBack: 'Paid back now', total: 'Total refund', paidBackTo: 'Paid back to',
    points: function (n) { return n + ' points'; }, postage: 'Return postage', payerPays: function (who) { return who + ' pays'; },
    noReturn: 'no need to send the item back', compensation: 'Compensation', validUntil: function (d) { return 'valid until ' + d; }, review: 'Review',
    autoApproved: 'approved automatically on submission', notes: 'Please note', deadlines: 'Deadlines', by: function (d) { return 'by ' + d; },
    provisional: 'provisional: this year\'s public holidays are not announced yet', submit: 'Submit request',
    submitSome: function (n) { return 'Submit request (' + n + ' eligible item' + (n === 1 ? '' : 's') + ')'; },
    chooseFirst: 'Choose an item first', nothingEligible: 'None of the chosen items can be requested', refusedNotSent: 'Items that cannot be requested are not submitted',
    accepted: function (id) { return 'Request accepted, number ' + id; }, expectedRefund: 'Expected refund',
    mismatch: 'The server decided differently; check the current result and submit again', youSaw: function (a, b) { return 'preview ' + a + ', actually ' + b; },
    ledgerMoved: 'Another request on this order was just accepted', policyChanged: 'The after-sales rules were updated', otherChanged: 'The conditions of the request changed',
    refusedAll: 'Nothing in this request can be granted', busy: 'The server is busy; try again shortly', offline: 'Could not reach the server; try again shortly', forbidden: 'Not your order',
    failed: 'The request failed; try again shortly', loading: 'Loading…', loadFailed: 'Could not load your orders; try again shortly', sending: 'Sending…',
  },
};
