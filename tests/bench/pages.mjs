// The pages the phone benchmarks load cold, each as the person who uses it (the review
// workspace: reviewer1's first open call).
const PAGES = [
  ['sign-in', '/signin', null],
  ['calls', '/calls', 'lead1'],
  ['queue', '/queue', 'reviewer1'],
  ['me', '/me', 'agent1'],
  ['calibration', '/calibration', 'lead2'],
  ['review', null, 'reviewer1'],
  ['scorecard', '/scorecards/1', 'admin'],
];

// [name, path, session] for each page PAGES (env) names, or every page: `sessionOf` turns a
// username into what the mode signs in with, `openCall` names reviewer1's first open call.
async function resolve(sessionOf, openCall) {
  const only = process.env.PAGES?.split(',');
  const pages = [];
  for (const [name, path, username] of PAGES.filter(([name]) => !only || only.includes(name))) {
    pages.push([name, path ?? `/review/${await openCall()}`, username && (await sessionOf(username))]);
  }
  return pages;
}

// Against the server: the session is a cookie, "name=value".
export async function mainPages(base) {
  const sessionOf = async (username) => {
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
    if (!login.ok) throw new Error(`sign-in of ${username} failed: ${login.status}`);
    return login.headers.get('set-cookie').split(';')[0];
  };
  const openCall = async () => {
    const queue = await (await fetch(`${base}/api/queue`, { headers: { cookie: await sessionOf('reviewer1') } })).json();
    const open = queue.items.find((item) => item.assignment.status === 'open');
    if (!open) throw new Error('reviewer1 has no open call to review');
    return open.call.id;
  };
  return resolve(sessionOf, openCall);
}

// On a static build (fixtures): the demo's session is the user's id in the browser's storage.
export async function staticPages(base) {
  const json = async (file) => (await fetch(`${base}/fixtures/${file}`)).json();
  const users = await json('users.json');
  const sessionOf = async (username) => users.find((u) => u.username === username).id;
  const openCall = async () => {
    const reviewer = await sessionOf('reviewer1');
    const { assignments } = await json('sampling.json');
    const open = assignments
      .filter((a) => a.reviewer_id === reviewer && a.status === 'open')
      .sort((a, b) => a.due.localeCompare(b.due))[0];
    if (!open) throw new Error('reviewer1 has no open call to review in the fixtures');
    return open.call_id;
  };
  return resolve(sessionOf, openCall);
}
