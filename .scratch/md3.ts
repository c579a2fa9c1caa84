import { renderMarkdown } from '../app/lib/markdown.server'
function run(name: string, src: string) {
  const t = process.hrtime.bigint()
  let r
  try { const out = renderMarkdown(src); r = 'ok ' + out.length } catch (e) { r = (e as Error).constructor.name }
  console.log(name.padEnd(22), String(src.length).padStart(7), (Number(process.hrtime.bigint()-t)/1e6).toFixed(1).padStart(8)+'ms', r)
}
run('warm', 'x')
for (const d of [8, 16, 20, 32]) run('quoteLinesPara'+d, ('>'.repeat(d) + ' x\n\n').repeat(Math.floor(20000/(d+4))))
for (const d of [8, 16, 20]) run('listLines'+d, ('- '.repeat(d) + 'x\n').repeat(Math.floor(20000/(2*d+2))))
for (const d of [8, 16, 20]) run('mixedLines'+d, ('> - '.repeat(d/2) + 'x\n\n').repeat(Math.floor(20000/(2*d+2))))
run('emphnest', '*_'.repeat(5000) + 'x' + '_*'.repeat(5000))
run('lt', '<'.repeat(20000))
run('tablewide', '|' + 'a|'.repeat(3000) + '\n|' + '-|'.repeat(3000) + '\n' + ('|' + 'x|'.repeat(3000)+'\n').repeat(2))
run('tablelong', '|a|b|c|d|\n|-|-|-|-|\n' + '|x|y|z|w|\n'.repeat(2000))
run('codespans', '`a` '.repeat(5000))
run('autolinks', 'www.a.com '.repeat(2000))
run('links', '[a](/b) '.repeat(2500))
run('imgs', '![a](/b) '.repeat(2500))
run('ol', '1. x\n'.repeat(5000))
run('em', '*a* '.repeat(5000))
run('plain', 'word '.repeat(4000))
