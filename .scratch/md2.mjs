import { Marked } from 'marked'
const m = new Marked({ gfm: true, breaks: false, async: false })
function run(name, src) {
  const t = process.hrtime.bigint()
  let r
  try { const out = m.parse(src, {async:false}); r = 'ok ' + out.length } catch (e) { r = e.constructor.name }
  console.log(name.padEnd(22), String(src.length).padStart(7), (Number(process.hrtime.bigint()-t)/1e6).toFixed(1).padStart(8)+'ms', r)
}
for (const d of [16, 32, 64, 100, 200, 500, 1000]) run('quotes'+d, '>'.repeat(d) + ' x')
for (const d of [16, 32, 64, 100, 130]) run('lists'+d, Array.from({length: d}, (_, i) => '  '.repeat(i) + '- x').join('\n'))
for (const d of [16, 32, 64, 100, 500]) run('listsInline'+d, '- '.repeat(d) + 'x')
for (const d of [16, 32]) run('quoteLines'+d, ('>'.repeat(d) + ' x\n').repeat(Math.floor(20000/(d+3))))
for (const d of [16, 32]) run('quoteLinesPara'+d, ('>'.repeat(d) + ' x\n\n').repeat(Math.floor(20000/(d+4))))
for (const d of [16, 32]) run('listLines'+d, ('- '.repeat(d) + 'x\n').repeat(Math.floor(20000/(2*d+2))))
run('manyLists', ('- x\n\n').repeat(5000))
run('manyQuoteLazy', ('> x\ny\n').repeat(3000))
run('listsNestedRep', Array.from({length: 20}, () => Array.from({length: 16}, (_, i) => '  '.repeat(i) + '- x').join('\n')).join('\n'))
run('emphnest', '*_'.repeat(5000) + 'x' + '_*'.repeat(5000))
run('lt', '<'.repeat(20000))
run('tablewide', '|' + 'a|'.repeat(3000) + '\n|' + '-|'.repeat(3000) + '\n' + ('|' + 'x|'.repeat(3000)+'\n').repeat(2))
run('headers', '# x\n'.repeat(5000))
run('codespans', '`a` '.repeat(5000))
run('autolinks', 'www.a.com '.repeat(2000))
run('ol', '1. x\n'.repeat(5000))
run('deflists', '[a]: <'.repeat(3000))
