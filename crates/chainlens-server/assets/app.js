// ChainLens dashboard: a single-page application over the JSON API, no framework and no
// build step. Routes live in the URL hash (#/overview, #/chains/nev, ...). The token is
// kept in sessionStorage and sent as a Bearer header; the language (en | zh) is kept in
// localStorage. Every text that comes from the server is inserted as text, never as
// HTML; the server's SVG charts are parsed and sanitised before they are shown.
'use strict';

(function () {
  // ---------------------------------------------------------------- labels (en, zh)
  // Every label and every vocabulary (grades, risk levels, classes, statuses: words and
  // colours) comes from the server's /assets/labels.json, made from the report's i18n
  // table and the model's vocabularies; this file holds no label of its own.
  let CAT = { labels: {}, vocabularies: {}, alert_levels: [] };
  const SECTION_KEYS = { linkage: 'linkage', networks: 's_networks', resilience: 'resilience', risks: 's_risks', alerts: 'alerts', scenarios: 'scenarios', clearing: 's_clearing' };
  const COLORS = ['#1b4f9c', '#d95f02', '#1a9850', '#7570b3', '#a6761d', '#e7298a', '#444444', '#66a61e', '#17becf', '#bcbd22', '#8c564b', '#9467bd'];
  const DASHES = ['', '6 3', '2 2', '8 3 2 3', '4 4', '1 3'];

  // ---------------------------------------------------------------- state
  const state = {
    lang: localStorage.getItem('chainlens.lang') === 'zh' ? 'zh' : 'en',
    token: sessionStorage.getItem('chainlens.token') || '',
    me: null,
    chains: null,
    runs: {}, // scenario name -> last run reply
    alertQuery: { status: 'unresolved', level: '', offset: 0 },
    gen: 0, // render generation: a slow reply of an older view is dropped
  };
  const SVGNS = 'http://www.w3.org/2000/svg';

  const li = () => (state.lang === 'zh' ? 1 : 0);
  function t(key) {
    const e = CAT.labels[key];
    return e ? e[li()] : key;
  }
  function tOr(key, fallback) {
    return CAT.labels[key] ? t(key) : fallback;
  }
  // A value of a vocabulary (grade, risk_level, sector_class, alert_status, …).
  function word(vocab, key) {
    return (CAT.vocabularies[vocab] || []).find((w) => w.key === key) || null;
  }
  function say(vocab, key) {
    const w = word(vocab, key);
    return w ? w.words[li()] : String(key);
  }
  // Paints an element in a vocabulary value's colour (CSSOM, allowed by the CSP).
  function paint(e, w) {
    if (w) {
      e.style.backgroundColor = w.colour;
      e.style.color = w.ink;
    }
    return e;
  }
  function vocabBadge(vocab, key) {
    return paint(h('span', { class: 'badge' }, say(vocab, key)), word(vocab, key));
  }
  function levelWord(level) {
    return CAT.alert_levels[level - 1] || null;
  }
  function levelName(level) {
    const w = levelWord(level);
    return w ? w.words[li()] : String(level);
  }

  // ---------------------------------------------------------------- DOM helpers
  function h(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    append(e, children);
    return e;
  }
  function append(e, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  function s(tag, attrs, ...children) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) e.setAttribute(k, String(v));
    }
    append(e, children);
    return e;
  }
  const $ = (sel) => document.querySelector(sel);

  function fmt(x, digits) {
    if (x === null || x === undefined || Number.isNaN(x)) return '–';
    if (typeof x !== 'number') return String(x);
    const d = digits === undefined ? (Math.abs(x) >= 1000 ? 0 : 3) : digits;
    return x.toLocaleString(state.lang === 'zh' ? 'zh-CN' : 'en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  }
  const pct = (x) => (x === null || x === undefined ? '–' : fmt(100 * x, 1) + ' %');
  function when(ts) {
    if (!ts) return '–';
    const d = new Date(ts);
    if (Number.isNaN(d.getTime())) return String(ts);
    const p2 = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}`;
  }
  function card(title, ...body) {
    return h('section', { class: 'card' }, title ? h('h2', {}, title) : null, body);
  }
  function num(x, digits) {
    return h('td', { class: 'num' }, fmt(x, digits));
  }
  function table(headers, rows, opts) {
    const o = opts || {};
    const thead = h('thead', {}, h('tr', {}, headers.map((hd, i) => {
      const th = h('th', { class: (hd.num ? 'num' : '') + (o.onSort ? ' sortable' : '') }, hd.label, o.sortKey === i ? (o.sortDir > 0 ? ' ▲' : ' ▼') : '');
      if (o.onSort) th.addEventListener('click', () => o.onSort(i));
      return th;
    })));
    return h('table', { class: o.class || '' }, thead, h('tbody', {}, rows));
  }
  function levelBadge(level) {
    return paint(h('span', { class: 'badge' }, levelName(level)), levelWord(level));
  }
  function gradeBadge(g) {
    return vocabBadge('grade', g);
  }

  // ---------------------------------------------------------------- API
  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.error) || 'HTTP ' + status);
      this.status = status;
      this.problems = (body && body.problems) || [];
    }
  }
  async function api(path, opts) {
    const o = opts || {};
    const headers = { Authorization: 'Bearer ' + state.token };
    if (o.body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(path, { method: o.method || 'GET', headers, body: o.body === undefined ? undefined : JSON.stringify(o.body), cache: 'no-store' });
    if (r.status === 401 && !o.allow401) {
      logout();
      throw new ApiError(401, { error: t('bad_token') });
    }
    if (o.text) {
      if (!r.ok) throw new ApiError(r.status, await r.json().catch(() => null));
      return r.text();
    }
    const body = await r.json().catch(() => null);
    if (!r.ok) throw new ApiError(r.status, body);
    return body;
  }
  const wsPath = (rest) => '/api/workspaces/' + encodeURIComponent(state.me.workspace) + rest;

  // The server's SVG charts: parsed as HTML (they carry no XML namespace), stripped of
  // anything active, then adopted into the page.
  async function serverSvg(path) {
    const text = await api(path, { text: true });
    const doc = new DOMParser().parseFromString(text, 'text/html');
    const svg = doc.querySelector('svg');
    if (!svg) return h('p', { class: 'muted' }, '–');
    svg.querySelectorAll('script, foreignObject, style').forEach((n) => n.remove());
    for (const n of [svg, ...svg.querySelectorAll('*')]) {
      for (const a of [...n.attributes]) {
        if (/^on/i.test(a.name) || a.name === 'style' || /href$/i.test(a.name)) n.removeAttribute(a.name);
      }
    }
    return h('div', { class: 'svgbox' }, document.importNode(svg, true));
  }

  // ---------------------------------------------------------------- charts drawn here
  function niceTicks(lo, hi, n) {
    const span = hi - lo || 1;
    const step0 = span / (n || 5);
    const mag = Math.pow(10, Math.floor(Math.log10(step0)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => st >= step0) || step0;
    const ticks = [];
    for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9; v += step) ticks.push(+v.toFixed(10));
    return ticks;
  }

  // Line chart of series [{name, points: [[x, y], ...]}].
  function lineChart(series, o) {
    const W = o.width || 760, H = o.height || 320;
    const m = { l: 56, r: 16, t: 14, b: 44 };
    const pts = series.flatMap((se) => se.points);
    let x0 = Math.min(...pts.map((p) => p[0])), x1 = Math.max(...pts.map((p) => p[0]));
    let y0 = o.yMin !== undefined ? o.yMin : Math.min(...pts.map((p) => p[1]));
    let y1 = o.yMax !== undefined ? o.yMax : Math.max(...pts.map((p) => p[1]));
    if (x1 === x0) x1 = x0 + 1;
    if (y1 - y0 < 1e-9) { y0 -= 0.05; y1 += 0.05; }
    const pad = (y1 - y0) * 0.05;
    if (o.yMin === undefined) y0 -= pad;
    if (o.yMax === undefined) y1 += pad;
    const X = (x) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
    const Y = (y) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
    const g = s('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart', role: 'img' });
    if (o.title) g.appendChild(s('title', {}, o.title));
    for (const v of niceTicks(y0, y1, 5)) {
      g.appendChild(s('line', { x1: m.l, x2: W - m.r, y1: Y(v), y2: Y(v), class: 'grid' }));
      g.appendChild(s('text', { x: m.l - 6, y: Y(v) + 4, 'text-anchor': 'end' }, fmt(v, o.yDigits === undefined ? 2 : o.yDigits)));
    }
    const xt = o.xTicks || niceTicks(x0, x1, 8);
    for (const v of xt) {
      g.appendChild(s('line', { x1: X(v), x2: X(v), y1: H - m.b, y2: H - m.b + 4, class: 'axis' }));
      g.appendChild(s('text', { x: X(v), y: H - m.b + 16, 'text-anchor': 'middle' }, o.xFormat ? o.xFormat(v) : fmt(v, 0)));
    }
    g.appendChild(s('line', { x1: m.l, x2: W - m.r, y1: H - m.b, y2: H - m.b, class: 'axis' }));
    g.appendChild(s('line', { x1: m.l, x2: m.l, y1: m.t, y2: H - m.b, class: 'axis' }));
    if (o.xLabel) g.appendChild(s('text', { x: (m.l + W - m.r) / 2, y: H - 8, 'text-anchor': 'middle' }, o.xLabel));
    if (o.yLabel) g.appendChild(s('text', { x: 14, y: (m.t + H - m.b) / 2, 'text-anchor': 'middle', transform: `rotate(-90 14 ${(m.t + H - m.b) / 2})` }, o.yLabel));
    series.forEach((se, i) => {
      const d = se.points.map((p, j) => (j ? 'L' : 'M') + X(p[0]).toFixed(1) + ' ' + Y(p[1]).toFixed(1)).join('');
      g.appendChild(s('path', { d, fill: 'none', stroke: COLORS[i % COLORS.length], 'stroke-width': 2, 'stroke-dasharray': DASHES[i % DASHES.length] || null }, s('title', {}, se.name)));
      if (o.markers) for (const p of se.points) g.appendChild(s('circle', { cx: X(p[0]), cy: Y(p[1]), r: 2.5, fill: COLORS[i % COLORS.length] }));
    });
    return h('div', {}, h('div', { class: 'svgbox' }, g), legend(series.map((se) => se.name)));
  }
  function vocabLegend(vocab) {
    return h('div', { class: 'legend' }, (CAT.vocabularies[vocab] || []).slice().reverse().map((w) => vocabBadge(vocab, w.key)));
  }
  function gradeLegend() {
    return vocabLegend('grade');
  }
  // A probability or impact bin is named like a risk level when it has a level's key.
  function binName(name) {
    return word('risk_level', name) ? say('risk_level', name) : name;
  }
  function legend(names) {
    return h('div', { class: 'legend' }, names.map((n, i) => h('span', {},
      s('svg', { width: 22, height: 8 }, s('line', { x1: 0, x2: 22, y1: 4, y2: 4, stroke: COLORS[i % COLORS.length], 'stroke-width': 3, 'stroke-dasharray': DASHES[i % DASHES.length] || null })),
      ' ', n)));
  }

  // ---------------------------------------------------------------- shell
  const ROUTES = ['overview', 'chains', 'linkage', 'resilience', 'risks', 'alerts', 'scenarios'];

  function renderShell() {
    document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    document.title = 'ChainLens' + (state.me ? ' · ' + state.me.workspace : '');
    $('#lang').textContent = state.lang === 'zh' ? 'English' : '中文';
    $('#logout').textContent = t('logout');
    $('#logout').classList.toggle('hidden', !state.me);
    $('#who').textContent = state.me ? `${state.me.name} · ${t('role_' + state.me.role)} · ${state.me.workspace}` : '';
    const nav = $('#nav');
    nav.classList.toggle('hidden', !state.me);
    nav.replaceChildren(...ROUTES.map((r) => h('a', { href: '#/' + r, id: 'nav-' + r }, t(r))));
  }
  function setActive(route) {
    for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.id === 'nav-' + route);
  }
  function logout() {
    state.token = '';
    state.me = null;
    state.chains = null;
    sessionStorage.removeItem('chainlens.token');
    if (location.hash !== '#/login') location.hash = '#/login';
    else route();
  }
  const canAct = () => state.me && (state.me.role === 'analyst' || state.me.role === 'admin');

  // Shows `node` as the view `name` unless another navigation started meanwhile.
  function show(gen, name, ...nodes) {
    if (gen !== state.gen) return;
    const main = $('#main');
    main.replaceChildren();
    append(main, nodes);
    main.dataset.view = name;
  }
  function failure(gen, name, err) {
    const msg = err instanceof ApiError && err.status === 409 ? t('not_configured') + ' ' + err.message : err.message;
    show(gen, name, h('h1', {}, t(name)), h('div', { class: 'banner', role: 'alert' }, msg,
      err.problems && err.problems.length ? h('ul', {}, err.problems.map((p) => h('li', {}, p))) : null));
  }

  async function route() {
    const gen = ++state.gen;
    const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
    let name = parts[0] || 'overview';
    if (!state.token) name = 'login';
    if (name !== 'login' && !state.me) {
      try {
        state.me = await api('/api/me');
      } catch (e) {
        if (gen !== state.gen) return;
        name = 'login';
      }
    }
    renderShell();
    if (name === 'login') return viewLogin(gen);
    if (!ROUTES.includes(name)) name = 'overview';
    setActive(name);
    const main = $('#main');
    main.dataset.view = 'loading';
    main.replaceChildren(h('p', { class: 'muted' }, t('loading')));
    try {
      await VIEWS[name](gen, parts.slice(1));
    } catch (e) {
      failure(gen, name, e);
    }
  }

  // ---------------------------------------------------------------- login
  function viewLogin(gen) {
    const input = h('input', { type: 'password', id: 'token', autocomplete: 'off', spellcheck: 'false' });
    const err = h('p', { class: 'error', id: 'login-error' });
    const submit = async (ev) => {
      ev.preventDefault();
      state.token = input.value.trim();
      try {
        state.me = await api('/api/me', { allow401: true });
        sessionStorage.setItem('chainlens.token', state.token);
        location.hash = '#/overview';
      } catch (e) {
        state.token = '';
        err.textContent = e.status === 401 ? t('bad_token') : e.message;
      }
    };
    show(gen, 'login', h('form', { class: 'card login', id: 'login-form', onsubmit: submit },
      h('h1', {}, t('login')),
      h('label', { for: 'token' }, t('token')), input,
      h('p', { class: 'muted' }, t('token_help')),
      h('button', { class: 'primary', type: 'submit', id: 'login-btn' }, t('login')), err));
    input.focus();
  }

  // ---------------------------------------------------------------- overview
  async function viewOverview(gen) {
    const o = await api(wsPath('/overview'));
    const ws = o.workspace || {};
    const counts = h('dl', { class: 'kv' }, Object.entries(o.counts || {}).flatMap(([k, v]) => [
      h('dt', {}, tOr('n_' + k, k.replace(/_/g, ' '))), h('dd', { class: 'num' }, fmt(v, 0)),
    ]));
    const imp = o.last_import;
    const lastImport = imp ? h('dl', { class: 'kv' },
      h('dt', {}, t('at')), h('dd', {}, when(imp.imported_at)),
      h('dt', {}, t('digest')), h('dd', {}, h('code', {}, String(imp.digest || '').slice(0, 16))),
      h('dt', {}, t('version')), h('dd', {}, imp.chainlens_version || '–')) : null;
    const sections = h('div', { class: 'sections' }, Object.entries(o.sections || {}).map(([k, v]) =>
      [h('span', {}, tOr(SECTION_KEYS[k], k)), h('span', {}, h('span', { class: 'badge st-' + v }, tOr('s_' + v, v)))]));
    const levels = h('div', { class: 'badges', id: 'alert-levels' }, [1, 2, 3, 4].map((l) => {
      const n = (o.alerts_by_level || {})[String(l)] || 0;
      return paint(h('a', { href: '#/alerts', class: 'badge', title: t('alerts') }, levelName(l) + ': ' + n), levelWord(l));
    }));
    // Sorted by grade (high first), then by index.
    const rankOf = (g) => (CAT.vocabularies.grade || []).findIndex((w) => w.key === g);
    const grades = (o.grades || []).slice().sort((a, b) => rankOf(b.grade) - rankOf(a.grade) || b.index - a.index);
    show(gen, 'overview',
      h('h1', {}, ws.title || ws.name),
      h('p', { class: 'sub' }, `${t('workspace')}: ${ws.name} · ${t('home_region')}: ${ws.home_region || '–'}`),
      h('div', { class: 'cards' },
        card(t('open_alerts'), levels),
        card(t('sections'), sections),
        card(t('counts'), counts),
        lastImport ? card(t('last_import'), lastImport) : null),
      card(t('latest_grades'), grades.length ? table(
        [{ label: t('region') }, { label: t('year'), num: true }, { label: t('index'), num: true }, { label: t('grade') }],
        grades.map((g) => h('tr', {}, h('td', {}, g.name || g.region), h('td', { class: 'num' }, String(g.year)), num(g.index, 3), h('td', {}, gradeBadge(g.grade))))) : h('p', { class: 'muted' }, t('not_configured')),
        gradeLegend()),
      card(t('report'), h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => openReport('/report?lang=' + state.lang, 'text/html') }, t('report_html')),
        h('button', { type: 'button', onclick: () => openReport('/report.xlsx', null) }, t('report_xlsx')))));
  }
  // The report needs the Bearer header, so it is fetched and handed over as a blob URL.
  async function openReport(rest, type) {
    const r = await fetch(wsPath(rest), { headers: { Authorization: 'Bearer ' + state.token } });
    if (!r.ok) return;
    const blob = await r.blob();
    const url = URL.createObjectURL(type ? new Blob([blob], { type }) : blob);
    const a = h('a', { href: url, target: type ? '_blank' : null, download: type ? null : state.me.workspace + '-report.xlsx', rel: 'noopener' });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  // ---------------------------------------------------------------- chain map
  async function viewChains(gen, args) {
    if (!state.chains) state.chains = await api(wsPath('/chains'));
    const chains = state.chains;
    if (!chains.length) return show(gen, 'chains', h('h1', {}, t('chains')), card(null, h('p', { class: 'muted' }, t('not_configured'))));
    const id = chains.some((c) => c.id === args[0]) ? args[0] : chains[0].id;
    const chain = chains.find((c) => c.id === id);
    const stageName = (sid) => ((chain.stages || []).find((st) => st.id === sid) || {}).name || sid;
    const base = '/chains/' + encodeURIComponent(id);
    const [rep, map] = await Promise.all([api(wsPath(base)), serverSvg(wsPath(base + '/map.svg?lang=' + state.lang))]);
    const select = h('select', { id: 'chain-select', onchange: (e) => { location.hash = '#/chains/' + encodeURIComponent(e.target.value); } },
      chains.map((c) => h('option', { value: c.id, selected: c.id === id }, c.name)));
    const zoom = h('button', { type: 'button', class: 'small', onclick: () => { state.mapFull = !state.mapFull; route(); } }, state.mapFull ? t('fit') : t('actual_size'));
    const cov = rep.coverage;
    const lm = rep.integrity && rep.integrity.local_matching;
    const summary = h('dl', { class: 'kv' },
      h('dt', {}, t('firms')), h('dd', {}, fmt(rep.firms, 0)),
      h('dt', {}, t('links')), h('dd', {}, fmt(rep.links, 0)),
      h('dt', {}, t('coverage')), h('dd', {}, cov ? `${pct(cov.rate)} (${cov.covered}/${cov.stages})` : '–'),
      h('dt', {}, t('missing')), h('dd', {}, cov && cov.missing.length ? cov.missing.map(stageName).join(', ') : t('none')),
      h('dt', {}, t('local_matching')), h('dd', {}, lm ? pct(lm.rate_by_value) : '–'),
      h('dt', {}, t('bottleneck')), h('dd', {}, rep.capacity && rep.capacity.bottleneck ? stageName(rep.capacity.bottleneck) : '–'));
    const bpDetail = (b) => {
      switch (b.kind) {
        case 'stage_missing_in_region': return `${stageName(b.stage)} @ ${b.region}`;
        case 'stage_missing': return stageName(b.stage);
        case 'single_enterprise_stage': return `${stageName(b.stage)}: ${b.enterprise} → ${(b.used_by || []).join(', ')}`;
        case 'single_supplier': return `${t('buyer')} ${b.buyer}, ${t('input')} ${stageName(b.input)}, ${t('supplier')} ${b.supplier}`;
        default: return JSON.stringify(b);
      }
    };
    show(gen, 'chains',
      h('h1', {}, t('chains')),
      h('div', { class: 'toolbar' }, h('label', { for: 'chain-select' }, t('chain')), select),
      card(chain.name, h('div', { class: 'toolbar' }, zoom), h('div', { id: 'chain-map', class: 'svgbox' + (state.mapFull ? ' full' : '') }, map)),
      h('div', { class: 'cards two' },
        card(t('chain') + ': ' + chain.name, summary),
        card(t('spof'), rep.single_points.length ? table(
          [{ label: t('enterprise') }, { label: t('region') }, { label: t('dominated_count'), num: true }, { label: t('dominated_output'), num: true }, { label: t('articulation') }],
          rep.single_points.map((p) => h('tr', {}, h('td', {}, p.id), h('td', {}, p.region || '–'), num(p.dominated_count, 0), num(p.dominated_output, 0), h('td', {}, p.articulation ? t('yes') : t('no'))))) : h('p', { class: 'muted' }, t('none')))),
      card(`${t('breakpoints')} (${rep.breakpoints.length})`, rep.breakpoints.length ? table(
        [{ label: t('kind') }, { label: t('detail') }],
        rep.breakpoints.map((b) => h('tr', {}, h('td', {}, tOr('bp_' + b.kind, b.kind)), h('td', {}, bpDetail(b))))) : h('p', { class: 'muted' }, t('none'))));
  }

  // ---------------------------------------------------------------- linkage
  const linkSort = { key: 3, dir: -1 };
  async function viewLinkage(gen) {
    const rep = await api(wsPath('/linkage'));
    const cols = [
      { label: t('region'), get: (r) => r.region || '' },
      { label: t('sector'), get: (r) => r.sector },
      { label: t('output'), num: true, get: (r) => r.output, d: 0 },
      { label: t('multiplier'), num: true, get: (r) => r.output_multiplier, d: 3 },
      { label: t('bl'), num: true, get: (r) => r.backward_linkage, d: 3 },
      { label: t('fl'), num: true, get: (r) => r.forward_linkage, d: 3 },
      { label: t('class'), get: (r) => say('sector_class', r.class) },
    ];
    const tableBox = h('div', {});
    const draw = () => {
      const c = cols[linkSort.key];
      const rows = rep.sectors.slice().sort((a, b) => {
        const x = c.get(a), y = c.get(b);
        return (typeof x === 'number' ? x - y : String(x).localeCompare(String(y))) * linkSort.dir;
      });
      tableBox.replaceChildren(table(cols, rows.map((r) => h('tr', {}, cols.map((cc) => (cc.num ? num(cc.get(r), cc.d) : h('td', {}, cc.get(r)))))), {
        sortKey: linkSort.key, sortDir: linkSort.dir,
        onSort: (i) => { linkSort.dir = linkSort.key === i ? -linkSort.dir : (cols[i].num ? -1 : 1); linkSort.key = i; draw(); },
      }));
    };
    draw();
    show(gen, 'linkage', h('h1', {}, t('linkage')),
      card(t('quadrant'), quadrant(rep.sectors)),
      card(t('sectors_table'), tableBox));
  }
  function quadrant(sectors) {
    const W = 640, H = 440, m = { l: 56, r: 20, t: 16, b: 44 };
    const bl = sectors.map((r) => r.backward_linkage), fl = sectors.map((r) => r.forward_linkage);
    const x0 = Math.min(0.5, ...bl) - 0.05, x1 = Math.max(1.5, ...bl) + 0.05;
    const y0 = Math.min(0.5, ...fl) - 0.05, y1 = Math.max(1.5, ...fl) + 0.05;
    const X = (x) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
    const Y = (y) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
    const g = s('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart', role: 'img', id: 'quadrant' });
    for (const v of niceTicks(x0, x1, 6)) g.appendChild(s('text', { x: X(v), y: H - m.b + 16, 'text-anchor': 'middle' }, fmt(v, 1)));
    for (const v of niceTicks(y0, y1, 6)) g.appendChild(s('text', { x: m.l - 6, y: Y(v) + 4, 'text-anchor': 'end' }, fmt(v, 1)));
    g.appendChild(s('rect', { x: X(1), y: m.t, width: W - m.r - X(1), height: Y(1) - m.t, fill: '#fdecea' }));
    g.appendChild(s('line', { x1: m.l, x2: W - m.r, y1: H - m.b, y2: H - m.b, class: 'axis' }));
    g.appendChild(s('line', { x1: m.l, x2: m.l, y1: m.t, y2: H - m.b, class: 'axis' }));
    g.appendChild(s('line', { x1: X(1), x2: X(1), y1: m.t, y2: H - m.b, class: 'ref' }));
    g.appendChild(s('line', { x1: m.l, x2: W - m.r, y1: Y(1), y2: Y(1), class: 'ref' }));
    g.appendChild(s('text', { x: W - m.r - 4, y: m.t + 14, 'text-anchor': 'end' }, say('sector_class', 'key')));
    g.appendChild(s('text', { x: W - m.r - 4, y: H - m.b - 6, 'text-anchor': 'end' }, say('sector_class', 'backward')));
    g.appendChild(s('text', { x: m.l + 4, y: m.t + 14 }, say('sector_class', 'forward')));
    g.appendChild(s('text', { x: m.l + 4, y: H - m.b - 6 }, say('sector_class', 'weak')));
    g.appendChild(s('text', { x: (m.l + W - m.r) / 2, y: H - 8, 'text-anchor': 'middle' }, t('bl')));
    g.appendChild(s('text', { x: 14, y: (H - m.b + m.t) / 2, 'text-anchor': 'middle', transform: `rotate(-90 14 ${(H - m.b + m.t) / 2})` }, t('fl')));
    const regions = [...new Set(sectors.map((r) => r.region || ''))];
    for (const r of sectors) {
      const i = regions.indexOf(r.region || '');
      const label = (r.region ? r.region + '|' : '') + r.sector;
      g.appendChild(s('circle', { cx: X(r.backward_linkage), cy: Y(r.forward_linkage), r: 4, fill: COLORS[i % COLORS.length] }, s('title', {}, `${label}: BL ${fmt(r.backward_linkage, 3)}, FL ${fmt(r.forward_linkage, 3)}`)));
      if (r.class === 'key') g.appendChild(s('text', { x: X(r.backward_linkage) + 7, y: Y(r.forward_linkage) + (i % 2 ? 12 : -5) }, regions.length > 1 ? r.sector : label));
    }
    return h('div', {}, h('div', { class: 'svgbox' }, g), regions.length > 1 ? legendDots(regions) : null);
  }
  function legendDots(names) {
    return h('div', { class: 'legend' }, names.map((n, i) => h('span', {}, s('svg', { width: 10, height: 10 }, s('circle', { cx: 5, cy: 5, r: 4, fill: COLORS[i % COLORS.length] })), ' ', n)));
  }

  // ---------------------------------------------------------------- resilience
  async function viewResilience(gen) {
    const [ev, radar] = await Promise.all([api(wsPath('/resilience')), serverSvg(wsPath('/resilience/radar.svg?lang=' + state.lang)).catch(() => null)]);
    const years = ev.years.slice().sort();
    const last = years[years.length - 1];
    const regions = [];
    const byKey = new Map();
    for (const sc of ev.scores) {
      if (!regions.some((r) => r.region === sc.region)) regions.push({ region: sc.region, name: sc.name || sc.region });
      byKey.set(sc.region + '|' + sc.year, sc);
    }
    const latest = (r) => (byKey.get(r.region + '|' + last) || { index: -1 }).index;
    regions.sort((a, b) => latest(b) - latest(a));
    const dimName = (d) => tOr(d.name, d.name);
    const grid = table([{ label: t('region') }, ...years.map((y) => ({ label: String(y), num: true }))],
      regions.map((r) => h('tr', {}, h('td', {}, r.name), years.map((y) => {
        const sc = byKey.get(r.region + '|' + y);
        return sc ? paint(h('td', { class: 'num', title: say('grade', sc.grade) }, fmt(sc.index, 3)), word('grade', sc.grade)) : h('td', { class: 'num' }, '–');
      }))), { class: 'res-grid' });
    const dims = table([{ label: t('region') }, ...ev.dimensions.map((d) => ({ label: dimName(d), num: true })), { label: t('index'), num: true }, { label: t('grade') }, { label: t('rank'), num: true }],
      regions.map((r) => byKey.get(r.region + '|' + last)).filter(Boolean).map((sc) => h('tr', {},
        h('td', {}, sc.name || sc.region), ev.dimensions.map((d) => num(sc.dimensions[d.id], 3)), num(sc.index, 3), h('td', {}, gradeBadge(sc.grade)), num(sc.rank, 0))));
    const trend = lineChart(regions.map((r) => ({ name: r.name, points: years.filter((y) => byKey.has(r.region + '|' + y)).map((y) => [y, byKey.get(r.region + '|' + y).index]) })),
      { xTicks: years, xFormat: (v) => String(v), xLabel: t('year'), yLabel: t('index'), markers: true, title: t('trend') });
    show(gen, 'resilience', h('h1', {}, t('resilience')),
      card(t('index_grid'), grid, gradeLegend()),
      card(`${t('dims_table')} (${last})`, dims),
      radar ? card(t('radar'), radar) : null,
      card(t('trend'), trend));
  }

  // ---------------------------------------------------------------- risks
  async function viewRisks(gen) {
    const r = await api(wsPath('/risks'));
    const spec = r.matrix && r.matrix.spec;
    const parts = [h('h1', {}, t('risks'))];
    if (spec && spec.kind === 'grid') {
      const cellOf = (a) => (a.cell || '').split('/');
      const rows = spec.impact.slice().reverse().map((imp) => {
        const ii = spec.impact.indexOf(imp);
        return h('tr', {}, h('th', {}, `${binName(imp.name)} (${fmt(imp.min, 1)}–${fmt(imp.max, 1)})`),
          spec.probability.map((p, pi) => {
            // levels[probability bin][impact bin], as the warning crate grades.
            const lvl = spec.levels[pi] && spec.levels[pi][ii];
            const here = r.assessments.filter((a) => cellOf(a)[0] === p.name && cellOf(a)[1] === imp.name);
            return paint(h('td', { class: 'risk-cell', title: say('risk_level', lvl), dataset: { level: lvl } }, here.map((a) => h('div', {}, a.factor))), word('risk_level', lvl));
          }));
      });
      parts.push(card(t('risk_matrix'), h('table', { class: 'heat' },
        h('thead', {}, h('tr', {}, h('th', {}, `${t('impact')} ↓ / ${t('probability')} →`), spec.probability.map((p) => h('th', {}, `${binName(p.name)} (${fmt(p.min, 1)}–${fmt(p.max, 1)})`)))),
        h('tbody', {}, rows)), vocabLegend('risk_level')));
    }
    parts.push(card(t('assessments'), table(
      [{ label: t('type') }, { label: t('factor') }, { label: t('probability'), num: true }, { label: t('impact'), num: true }, { label: t('level') }, { label: t('owner') }, { label: t('risk_measures') }],
      r.assessments.slice().sort((a, b) => b.probability * b.impact - a.probability * a.impact).map((a) => h('tr', {},
        h('td', {}, a.type), h('td', {}, a.factor), num(a.probability, 3), num(a.impact, 3), h('td', {}, vocabBadge('risk_level', a.level)), h('td', {}, a.owner || '–'), h('td', {}, a.measures || '–'))))));
    show(gen, 'risks', ...parts);
  }

  // ---------------------------------------------------------------- alerts
  async function viewAlerts(gen) {
    const q = state.alertQuery;
    const limit = 50;
    const params = new URLSearchParams({ offset: q.offset, limit });
    if (q.status) params.set('status', q.status);
    if (q.level) params.set('level', q.level);
    const page = await api(wsPath('/alerts?' + params));
    const statusSel = h('select', { id: 'alert-status', onchange: (e) => { q.status = e.target.value; q.offset = 0; route(); } },
      ['unresolved', 'open', 'acknowledged', 'escalated', 'resolved', ''].map((v) => h('option', { value: v, selected: v === q.status }, v === 'unresolved' ? t('unresolved') : v ? say('alert_status', v) : t('all'))));
    const levelSel = h('select', { id: 'alert-level', onchange: (e) => { q.level = e.target.value; q.offset = 0; route(); } },
      ['', '1', '2', '3', '4'].map((v) => h('option', { value: v, selected: v === q.level }, v ? levelName(Number(v)) : t('all'))));
    const act = canAct();
    const rows = page.items.flatMap((a) => alertRows(a, act));
    const pager = h('div', { class: 'toolbar' },
      h('span', { class: 'muted' }, `${t('total')} ${page.total}`),
      h('button', { type: 'button', disabled: q.offset === 0, onclick: () => { q.offset = Math.max(0, q.offset - limit); route(); } }, t('prev')),
      h('button', { type: 'button', disabled: q.offset + limit >= page.total, onclick: () => { q.offset += limit; route(); } }, t('next')));
    show(gen, 'alerts', h('h1', {}, t('alerts')),
      act ? null : h('p', { class: 'muted', id: 'viewer-note' }, t('viewer_note')),
      h('div', { class: 'toolbar' }, h('label', { for: 'alert-status' }, t('status')), statusSel, h('label', { for: 'alert-level' }, t('level')), levelSel),
      card(null, page.items.length ? table(
        [{ label: t('id'), num: true }, { label: t('level') }, { label: t('subject') }, { label: t('rule') }, { label: t('owner') }, { label: t('deadline') }, { label: t('status') }, { label: t('actions') }],
        rows, { class: 'alerts' }) : h('p', { class: 'muted' }, t('no_alerts')), pager));
  }
  function alertRows(a, act) {
    const note = h('input', { type: 'text', class: 'note', placeholder: t('note_ph'), 'aria-label': t('note') });
    const noteRow = act && a.status !== 'resolved' ? h('p', { class: 'actions' }, h('label', {}, t('note_for')), note) : null;
    const detail = h('tr', { class: 'detail hidden', id: 'alert-detail-' + a.id }, h('td', { colspan: 8 }, noteRow, alertDetail(a)));
    const err = h('span', { class: 'error' });
    const doAction = async (action, btn) => {
      btn.disabled = true;
      try {
        const body = note.value.trim() ? { note: note.value.trim() } : {};
        await api(wsPath(`/alerts/${a.id}/${action}`), { method: 'POST', body });
        await route();
      } catch (e) {
        btn.disabled = false;
        err.textContent = e.message;
      }
    };
    const buttons = [];
    if (act && a.status !== 'resolved') {
      if (a.status === 'open' || a.status === 'escalated') {
        const b = h('button', { type: 'button', class: 'small ack', dataset: { id: a.id }, onclick: () => doAction('ack', b) }, t('ack'));
        buttons.push(b);
      }
      const r = h('button', { type: 'button', class: 'small resolve', dataset: { id: a.id }, onclick: () => doAction('resolve', r) }, t('resolve'));
      buttons.push(r);
    }
    const toggle = h('button', { type: 'button', class: 'small link', onclick: () => detail.classList.toggle('hidden') }, t('show'));
    const row = h('tr', { id: 'alert-' + a.id, dataset: { status: a.status } },
      num(a.id, 0), h('td', {}, levelBadge(a.level)), h('td', {}, a.subject), h('td', {}, a.rule), h('td', {}, a.owner),
      h('td', { class: 'num' }, when(a.deadline)), h('td', {}, vocabBadge('alert_status', a.status)),
      h('td', {}, h('div', { class: 'actions' }, toggle, buttons, err)));
    return [row, detail];
  }
  function alertDetail(a) {
    const ev = Object.entries(a.evidence || {});
    return h('div', {},
      h('dl', { class: 'kv' },
        h('dt', {}, t('message')), h('dd', {}, a.message || '–'),
        h('dt', {}, t('response')), h('dd', {}, a.response || '–'),
        ev.length ? [h('dt', {}, t('evidence')), h('dd', {}, ev.map(([k, v]) => `${k} = ${fmt(v, 3)}`).join('; '))] : null),
      h('h2', {}, t('history')),
      table([{ label: t('at') }, { label: t('action') }, { label: t('status') }, { label: t('by') }, { label: t('note') }],
        (a.history || []).map((e) => h('tr', {}, h('td', {}, when(e.at)), h('td', {}, say('alert_action', e.action)), h('td', {}, say('alert_status', e.status)), h('td', {}, e.by || t('system')), h('td', {}, e.note || '')))));
  }

  // ---------------------------------------------------------------- scenarios
  async function viewScenarios(gen) {
    const list = await api(wsPath('/scenarios'));
    // Chain names for the per-chain curves.
    if (!state.chains) state.chains = await api(wsPath('/chains')).catch(() => []);
    const act = canAct();
    const out = h('div', { id: 'scenario-result' });
    const rows = list.map((sc) => {
      const bar = h('progress', { max: 1, value: 0, class: 'hidden' });
      const status = h('span', { class: 'muted' });
      const run = act ? h('button', { type: 'button', class: 'small primary run', dataset: { name: sc.name } }, t('run')) : null;
      if (run) run.addEventListener('click', () => startRun(sc.name, run, bar, status, out));
      const prev = state.runs[sc.name];
      const result = prev && prev.result ? prev.result : sc.last;
      const view = result ? h('button', { type: 'button', class: 'small link', onclick: () => out.replaceChildren(scenarioResult(result)) }, t('show')) : null;
      return h('tr', {}, h('td', {}, h('code', {}, sc.name)), h('td', {}, sc.kind || ''), h('td', {}, sc.description || ''),
        h('td', {}, h('div', { class: 'actions' }, run, view, status)), h('td', { class: 'progress-cell' }, bar));
    });
    // The last result (this session's run, else the last `chainlens run`) shows at once.
    const first = list.map((sc) => (state.runs[sc.name] && state.runs[sc.name].result) || sc.last).find(Boolean);
    if (first) out.replaceChildren(scenarioResult(first));
    show(gen, 'scenarios', h('h1', {}, t('scenarios')),
      act ? null : h('p', { class: 'muted' }, t('viewer_note')),
      card(null, table([{ label: t('name') }, { label: t('kind') }, { label: t('description') }, { label: t('actions') }, { label: t('progress') }], rows)),
      out);
  }
  async function startRun(name, btn, bar, status, out) {
    btn.disabled = true;
    bar.classList.remove('hidden');
    bar.value = 0;
    status.textContent = t('queued');
    const myGen = state.gen;
    try {
      const started = await api(wsPath('/scenarios/' + encodeURIComponent(name) + '/runs'), { method: 'POST', body: {} });
      const deadline = Date.now() + 10 * 60 * 1000;
      for (;;) {
        const r = await api(wsPath('/runs/' + encodeURIComponent(started.run)));
        bar.value = r.progress || 0;
        if (r.status === 'queued' || r.status === 'running') status.textContent = t(r.status);
        if (r.status === 'done') {
          state.runs[name] = r;
          status.textContent = t('done');
          bar.value = 1;
          if (myGen === state.gen) out.replaceChildren(scenarioResult(r.result));
          break;
        }
        if (r.status === 'failed') throw new Error(r.error || t('failed'));
        if (r.status === 'cancelled') throw new Error(t('cancelled'));
        if (Date.now() > deadline) throw new Error(t('failed'));
        await new Promise((res) => setTimeout(res, 400));
      }
    } catch (e) {
      status.textContent = `${t('failed')}: ${e.message}`;
      status.className = 'error';
    } finally {
      btn.disabled = false;
    }
  }
  function scenarioResult(res) {
    const nw = res.run.network;
    const parts = [h('h2', { id: 'scenario-title' }, `${res.scenario}${res.description ? ' — ' + res.description : ''}`)];
    parts.push(h('div', { class: 'cards' }, card(null, h('dl', { class: 'kv' },
      h('dt', {}, t('firms_shocked')), h('dd', {}, fmt(res.firms_shocked, 0)),
      h('dt', {}, t('firms_disrupted')), h('dd', {}, fmt(res.firms_disrupted, 0)),
      h('dt', {}, t('failed_firms')), h('dd', {}, fmt(res.firms_failed, 0)),
      h('dt', {}, t('minimum')), h('dd', {}, `${fmt(nw.minimum, 3)} (${t('day')} ${nw.day_of_minimum})`),
      h('dt', {}, t('loss_area')), h('dd', {}, fmt(nw.loss_area, 2) + ' ' + t('days')),
      h('dt', {}, t('ttr')), h('dd', {}, nw.disrupted_from === null ? t('no_disruption') : nw.time_to_recover === null ? t('not_recovered') : nw.time_to_recover + ' ' + t('days')),
      h('dt', {}, t('res_index')), h('dd', {}, fmt(nw.resilience_index, 4)))),
    res.monte_carlo ? card(t('monte_carlo'), h('dl', { class: 'kv' },
      h('dt', {}, t('trials')), h('dd', {}, fmt(res.monte_carlo.trials, 0)),
      h('dt', {}, t('mean_loss')), h('dd', {}, fmt(res.monte_carlo.mean, 3) + ' ' + t('days')),
      h('dt', {}, `${t('var')} (${fmt(res.monte_carlo.alpha, 2)})`), h('dd', {}, fmt(res.monte_carlo.var, 3) + ' ' + t('days')),
      h('dt', {}, t('es')), h('dd', {}, fmt(res.monte_carlo.expected_shortfall, 3) + ' ' + t('days')),
      h('dt', {}, t('loss_probability')), h('dd', {}, pct(res.monte_carlo.loss_probability)))) : null));
    const series = [{ name: t('network'), points: nw.performance.map((q, d) => [d, q]) }];
    for (const c of res.run.chains || []) {
      const chainName = ((state.chains || []).find((x) => x.id === c.chain) || {}).name || c.chain;
      series.push({ name: chainName, points: c.resilience.performance.map((q, d) => [d, q]) });
    }
    const ys = series.flatMap((se) => se.points.map((p) => p[1]));
    const lo = Math.min(0.9, Math.min(...ys) - 0.02), hi = Math.max(1.02, Math.max(...ys) + 0.01);
    parts.push(card(t('curve'), h('div', { id: 'scenario-curve' }, lineChart(series, { xLabel: t('day'), yLabel: t('performance'), yMin: lo, yMax: hi, yDigits: 2, title: t('curve') }))));
    if (res.robustness_random && res.robustness_targeted) {
      const pts = (v) => v.map((p) => [p.removed_share, p.output]);
      parts.push(card(t('robustness'), lineChart([{ name: t('random'), points: pts(res.robustness_random) }, { name: t('targeted'), points: pts(res.robustness_targeted) }],
        { xLabel: t('removed_share'), yLabel: t('output'), yMin: 0, yMax: 1, xFormat: (v) => fmt(v, 2), markers: true })));
    }
    return h('div', {}, parts);
  }

  const VIEWS = { overview: viewOverview, chains: viewChains, linkage: viewLinkage, resilience: viewResilience, risks: viewRisks, alerts: viewAlerts, scenarios: viewScenarios };

  // ---------------------------------------------------------------- start
  $('#lang').addEventListener('click', () => {
    state.lang = state.lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('chainlens.lang', state.lang);
    route();
  });
  $('#logout').addEventListener('click', logout);
  window.addEventListener('hashchange', route);
  fetch('/assets/labels.json')
    .then((r) => r.json())
    .then((c) => { CAT = c; })
    .catch(() => {})
    .then(route);
})();
