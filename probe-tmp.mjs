import { unified } from 'unified'
import remarkParse from 'remark-parse'
import remarkGfm from 'remark-gfm'
import remarkRehype from 'remark-rehype'
import rehypeRaw from 'rehype-raw'
import rehypeSanitize from 'rehype-sanitize'
import rehypeStringify from 'rehype-stringify'
import { fromMarkdown } from 'mdast-util-from-markdown'
const p = unified().use(remarkParse).use(remarkGfm).use(remarkRehype,{allowDangerousHtml:true}).use(rehypeRaw).use(rehypeSanitize).use(rehypeStringify)
function maxOk(make, f) { let lo=10, hi=20000; while(lo<hi-10){const m=(lo+hi)>>1; try{f(make(m)); lo=m}catch(e){ if(!(e instanceof RangeError)) throw e; hi=m}} return lo }
const mk = { quote: n=>'>'.repeat(n)+' x', list: n=>'- '.repeat(n)+'x', div: n=>'<div>'.repeat(n)+'x', span: n=>'a '+'<span>'.repeat(n)+'x', emph: n=>'*a _'.repeat(n)+'b'+'_ a*'.repeat(n), link: n=> '![a'.repeat(n)+'](b)'.repeat(n) }
for (const [k,f] of Object.entries(mk)) {
  const t=performance.now()
  console.log(k, 'fromMarkdown', maxOk(f, s=>fromMarkdown(s)), 'pipeline', maxOk(f, s=>p.processSync(s)), (performance.now()-t).toFixed(0)+'ms')
}
let t=performance.now(); p.processSync(mk.emph(5000)); console.log('emph5000', performance.now()-t)
