// The pages the phone benchmarks load cold, each as the person who uses it:
// [name, path, session cookie as "name=value" (null when signed out)].
export async function mainPages(base) {
  const cookieOf = async (username) => {
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
    if (!login.ok) throw new Error(`sign-in of ${username} failed: ${login.status}`);
    return login.headers.get('set-cookie').split(';')[0];
  };
  const reviewer = await cookieOf('reviewer1');
  // The review workspace of reviewer1's first open call.
  const queue = await (await fetch(`${base}/api/queue`, { headers: { cookie: reviewer } })).json();
  const open = (queue.items ?? queue).find((item) => item.assignment.status === 'open');
  if (!open) throw new Error('reviewer1 has no open call to review');
  const only = process.env.PAGES?.split(',');
  return [
    ['sign-in', '/signin', null],
    ['calls', '/calls', await cookieOf('lead1')],
    ['queue', '/queue', reviewer],
    ['me', '/me', await cookieOf('agent1')],
    ['calibration', '/calibration', await cookieOf('lead2')],
    ['review', `/review/${open.call.id}`, reviewer],
    ['scorecard', '/scorecards/1', await cookieOf('admin')],
  ].filter(([name]) => !only || only.includes(name));
}

// The same pages on a static build (fixtures), each as the same person: the demo's session is
// the user's id in the browser's storage, [name, path, user id (null when signed out)].
export async function staticPages(base) {
  const json = async (file) => (await fetch(`${base}/fixtures/${file}`)).json();
  const users = await json('users.json');
  const id = (username) => users.find((u) => u.username === username).id;
  const reviewer = id('reviewer1');
  const { assignments } = await json('sampling.json');
  const open = assignments
    .filter((a) => a.reviewer_id === reviewer && a.status === 'open')
    .sort((a, b) => a.due.localeCompare(b.due))[0];
  if (!open) throw new Error('reviewer1 has no open call to review in the fixtures');
  const only = process.env.PAGES?.split(',');
  return [
    ['sign-in', '/signin', null],
    ['calls', '/calls', id('lead1')],
    ['queue', '/queue', reviewer],
    ['me', '/me', id('agent1')],
    ['calibration', '/calibration', id('lead2')],
    ['review', `/review/${open.call_id}`, reviewer],
    ['scorecard', '/scorecards/1', id('admin')],
  ].filter(([name]) => !only || only.includes(name));
}
