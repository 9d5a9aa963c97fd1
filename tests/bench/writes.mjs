// 200 sequential evaluation submissions against a release server over loopback: what one
// durable (synchronous=FULL) write costs a reviewer.
const base = process.argv[2];
const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'reviewer1', password: 'demo' }) });
const cookie = login.headers.get('set-cookie').split(';')[0];
const version = await (await fetch(`${base}/api/scorecard-versions/2`, { headers: { cookie } })).json();
const answers = {};
for (const s of version.definition.sections) for (const c of s.criteria) {
  const t = c.answer_type;
  answers[c.key] = t.type === 'yes_no' ? 'yes' : t.type === 'scale' ? { scale: 5 } : t.type === 'points' ? { points: t.max } : { choice: t.options[0].key };
}
const times = [];
for (let i = 0; i < 200; i++) {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/evaluations`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ call_id: 100 + i, scorecard_version_id: 2, answers }) });
  if (res.status !== 201) throw new Error(`${res.status} ${await res.text()}`);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.floor(p * (times.length - 1))].toFixed(2);
console.log(`200 submissions: p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms`);
