// The key routes of the sample portal: what the phone-speed budgets (tests/size.js),
// the one-wave browser test and the Lighthouse benchmark measure. `who` signs in
// first (the representative of 한빛정밀, whose problems these are). `wave` is the
// route's first-wave budget in KB (brotli), checked by tests/size.js: the issue's
// goal is 200 KB on every route; the routes still above it are held to what they
// download today (rounded up to 5 KB), so they can only shrink: only the firm's
// own problem page (its page, and its panels as a module of their own).
const FIRM = 'kim.minsu@hanbit.example';

module.exports = [
  { path: '/', heading: '우리 산업단지의 협의체를 찾아 함께하세요', wave: 200 },
  { path: '/ideas', heading: '아이디어', wave: 200 },
  { path: '/ideas/1', heading: /./, wave: 200 },
  { path: '/consortia', heading: '협의체 찾기', wave: 200 },
  { path: '/consortia/2', heading: '창원 금형 미니클러스터', wave: 200 },
  { path: '/problems', heading: '애로과제', wave: 200 },
  { path: '/problems/3', heading: /./, wave: 200 },
  { path: '/activities', heading: '네트워킹 활동', wave: 200 },
  { path: '/activities/5', heading: '금형 냉각 기술 세미나', wave: 200 },
  { path: '/partners', heading: '해외 협력기관', wave: 200 },
  { path: '/partners/1', heading: 'TCI 네트워크', wave: 200 },
  { path: '/calls', heading: '공모', wave: 200 },
  { path: '/calls/1', heading: '2027 테마클러스터 공모 (샘플)', wave: 200 },
  { path: '/ideas', heading: '아이디어', who: FIRM, wave: 200 },
  { path: '/problems/1', heading: '사출 금형 냉각 불균일로 인한 휨 불량', who: FIRM, wave: 205 },
];
