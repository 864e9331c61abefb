// The console's views. Everything is built with DOM calls (no HTML from data), so nothing a
// report or a camera name contains can run as script.

import { api, can, query, session } from './api.js';
import { localTime, seconds, t, translate } from './i18n.js';

// MARK: - DOM helpers

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else if (key === 'text') element.textContent = value;
    else if (key === 'i18n') { element.dataset.i18n = value; element.textContent = t(value); }
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, String(value));
  }
  for (const child of children.flat()) if (child) element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return element;
}

export function toast(message, isError = false) {
  const box = document.getElementById('toast');
  box.textContent = message;
  box.classList.toggle('error', isError);
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, 4000);
}

function failure(error) {
  return h('p', { class: 'error', role: 'alert' }, `${t('common.error')}: ${error.message}`);
}

/** The shared state: the last list of events shown (for next/previous) and the export selection. */
export const state = { list: [], selected: new Set(), current: null };

// MARK: - Event cards

/** A still with its motion box drawn over it. */
function still(event) {
  const frame = h('div', { class: 'still' });
  if (event.still) {
    frame.append(h('img', { src: event.still, alt: `${event.camera.id} ${localTime(event.start_local)}`, loading: 'lazy' }));
    const box = h('div', { class: 'box' });
    box.style.left = `${event.bbox.x * 100}%`;
    box.style.top = `${event.bbox.y * 100}%`;
    box.style.width = `${event.bbox.w * 100}%`;
    box.style.height = `${event.bbox.h * 100}%`;
    frame.append(box);
  } else {
    frame.append(h('span', { class: 'nostill', text: '▶' }));
  }
  return frame;
}

function card(event, reviews) {
  const reviewed = reviews && reviews.get(event.id)?.reviewed;
  const selector = can('investigator') ? h('input', {
    type: 'checkbox', class: 'pick', 'aria-label': t('key.select'), checked: state.selected.has(event.id),
    onchange: (e) => { if (e.target.checked) state.selected.add(event.id); else state.selected.delete(event.id); updateSelection(); },
  }) : null;
  return h('article', { class: 'card' + (reviewed ? ' reviewed' : ''), 'data-event-id': event.id, tabindex: 0 },
    h('a', { href: `#/events/${event.id}`, class: 'cardlink' }, still(event),
      h('div', { class: 'meta' },
        h('strong', { text: event.camera.street || event.camera.name || event.camera.id }),
        h('span', { text: localTime(event.start_local) }),
        h('span', { class: 'small', text: `${event.camera.id} · ${seconds(event.duration_s)} · ${t('event.score')} ${event.score.toFixed(2)}` }))),
    selector, reviewed ? h('span', { class: 'badge', text: '✓' }) : null);
}

async function reviewsOf(events) {
  const map = new Map();
  if (!events.length) return map;
  try {
    const body = await api.get('/api/v1/reviews' + query({ events: events.map((e) => e.id).join(',') }));
    for (const review of body.reviews) map.set(review.event, review);
  } catch { /* reviews are a nicety; the grid stands without them */ }
  return map;
}

function updateSelection() {
  const bar = document.getElementById('selection');
  if (!bar) return;
  bar.hidden = state.selected.size === 0;
  bar.querySelector('.count').textContent = `${state.selected.size} ${t('search.selected')}`;
}

// MARK: - Map

/** Web Mercator, in pixels at zoom z. */
function project(lat, lon, z) {
  const scale = 256 * 2 ** z;
  const sin = Math.sin((lat * Math.PI) / 180);
  return [((lon + 180) / 360) * scale, (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale];
}

export async function mapView(view) {
  view.append(h('h1', { i18n: 'map.title' }));
  const body = await api.get('/api/v1/status');
  const placed = body.cameras.filter((c) => c.latitude != null && c.longitude != null);
  const unplaced = body.cameras.filter((c) => c.latitude == null || c.longitude == null);
  const legend = h('p', { class: 'legend' }, ['ok', 'late', 'problem', 'unknown'].map((k) =>
    h('span', { class: `dot ${k}` }, t(`health.${k}`))));
  view.append(legend);
  if (!placed.length) view.append(h('p', { i18n: 'map.none' }));
  else view.append(drawMap(placed));
  if (unplaced.length) {
    view.append(h('h2', { i18n: 'map.nocoords' }),
      h('ul', { class: 'plain' }, unplaced.map((c) => h('li', {}, h('a', { href: `#/cameras/${encodeURIComponent(c.id)}` },
        h('span', { class: `dot ${c.state}` }), `${c.id} · ${c.street || ''}`)))));
  }
}

function drawMap(cameras) {
  const width = 1000, height = 640, pad = 70;
  const lats = cameras.map((c) => c.latitude), lons = cameras.map((c) => c.longitude);
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  // The largest zoom (up to 19) at which every camera fits.
  let z = 19;
  for (; z > 1; z--) {
    const [x0, y0] = project(maxLat, minLon, z), [x1, y1] = project(minLat, maxLon, z);
    if (x1 - x0 <= width - 2 * pad && y1 - y0 <= height - 2 * pad) break;
  }
  // Without tiles the picture may be scaled between zoom levels, so that the cameras fill it.
  let k = 1;
  if (!session.tileURL) {
    const [x0, y0] = project(maxLat, minLon, z), [x1, y1] = project(minLat, maxLon, z);
    k = Math.min(4, (width - 2 * pad) / Math.max(1, x1 - x0), (height - 2 * pad) / Math.max(1, y1 - y0));
  }
  const place = (lat, lon) => { const [x, y] = project(lat, lon, z); return [x * k, y * k]; };
  const [cx, cy] = place((minLat + maxLat) / 2, (minLon + maxLon) / 2);
  const ox = cx - width / 2, oy = cy - height / 2;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'map', role: 'img', 'aria-label': t('map.title') });
  svg.append(s('rect', { x: 0, y: 0, width, height, class: 'land' }));
  if (session.tileURL) {
    const n = 2 ** z;
    for (let tx = Math.floor(ox / 256); tx <= Math.floor((ox + width) / 256); tx++) {
      for (let ty = Math.floor(oy / 256); ty <= Math.floor((oy + height) / 256); ty++) {
        if (ty < 0 || ty >= n) continue;
        const url = session.tileURL.replace('{z}', z).replace('{x}', ((tx % n) + n) % n).replace('{y}', ty);
        svg.append(s('image', { href: url, x: tx * 256 - ox, y: ty * 256 - oy, width: 256, height: 256 }));
      }
    }
  } else {
    // Without tiles: a light grid of 100 m squares for scale.
    const metresPerPixel = (156543.03 * Math.cos(((minLat + maxLat) / 2) * Math.PI / 180)) / 2 ** z / k;
    const step = 100 / metresPerPixel;
    if (step > 8) {
      for (let x = (-ox % step + step) % step; x < width; x += step) svg.append(s('line', { x1: x, y1: 0, x2: x, y2: height, class: 'grid' }));
      for (let y = (-oy % step + step) % step; y < height; y += step) svg.append(s('line', { x1: 0, y1: y, x2: width, y2: y, class: 'grid' }));
      svg.append(s('text', { x: 10, y: height - 10, class: 'scale' }, '□ = 100 m'));
    }
  }
  for (const camera of cameras) {
    const [px, py] = place(camera.latitude, camera.longitude);
    const x = px - ox, y = py - oy;
    const group = s('a', { href: `#/cameras/${encodeURIComponent(camera.id)}`, class: `cam ${camera.state}` });
    if (camera.view_deg != null) {
      const r = 46, spread = 30;
      const a0 = ((camera.view_deg - spread - 90) * Math.PI) / 180, a1 = ((camera.view_deg + spread - 90) * Math.PI) / 180;
      group.append(s('path', { class: 'wedge', d: `M${x},${y} L${x + r * Math.cos(a0)},${y + r * Math.sin(a0)} A${r},${r} 0 0 1 ${x + r * Math.cos(a1)},${y + r * Math.sin(a1)} Z` }));
    }
    group.append(s('circle', { cx: x, cy: y, r: 9, class: 'pin' }));
    group.append(s('text', { x: x + 13, y: y + 4, class: 'label' }, `${camera.id} · ${camera.street || ''}`));
    group.append(s('title', {}, `${camera.id} — ${camera.street || ''} — ${t(`health.${camera.state}`)}`));
    svg.append(group);
  }
  return h('div', { class: 'mapframe' }, svg);
}

// MARK: - A camera's day

export async function dayView(view, id, params) {
  const day = params.get('day') || '';
  const body = await api.get(`/api/v1/cameras/${encodeURIComponent(id)}/day` + query({ date: day }));
  const shift = (n) => {
    const [y, m, d] = body.day.split('-').map(Number);
    const date = new Date(Date.UTC(y, m - 1, d + n));
    return date.toISOString().slice(0, 10);
  };
  view.append(
    h('h1', {}, `${t('day.title')}: ${body.camera.id}`),
    h('p', { class: 'sub' }, `${body.camera.street || ''} · ${body.camera.ward || ''}`),
    h('div', { class: 'toolbar' },
      h('a', { class: 'button', href: `#/cameras/${encodeURIComponent(id)}?day=${shift(-1)}`, i18n: 'day.prev' }),
      h('strong', { class: 'day', text: body.day }),
      h('a', { class: 'button', href: `#/cameras/${encodeURIComponent(id)}?day=${shift(1)}`, i18n: 'day.next' }),
      h('span', { class: 'small' }, `${body.events.length} ${t('day.events')}`)));
  const player = h('div', { class: 'player' });
  const timeline = new Timeline(body, (seconds, event) => {
    if (event) { location.hash = `#/events/${event.id}`; return; }
    play(player, body, seconds);
  });
  const exportRange = can('investigator') ? h('button', { type: 'button', 'data-action': 'export', i18n: 'day.export', onclick: () => {
    const iso = (sec) => new Date((timeline.dayStart + sec) * 1000).toISOString();
    const to = Math.min(timeline.to, timeline.from + 6 * 3600);
    location.hash = '#/exports' + query({ camera: body.camera.id, from: iso(timeline.from), to: iso(to) });
  } }) : null;
  view.append(h('div', { class: 'toolbar' },
    h('button', { type: 'button', onclick: () => timeline.pan(-0.5), text: '◀' }),
    h('button', { type: 'button', onclick: () => timeline.zoom(0.5), i18n: 'day.zoomin' }),
    h('button', { type: 'button', onclick: () => timeline.zoom(2), i18n: 'day.zoomout' }),
    h('button', { type: 'button', onclick: () => timeline.pan(0.5), text: '▶' }),
    exportRange,
    h('span', { class: 'legend' }, h('span', { class: 'dot covered' }, t('day.covered')), h('span', { class: 'dot gap' }, t('day.gap')),
      h('span', { class: 'dot quiet' }, t('day.quiet')))),
  timeline.element, h('p', { class: 'small', i18n: 'day.clickplay' }), player);
  state.list = body.events;
  const reviews = await reviewsOf(body.events);
  view.append(h('div', { class: 'grid' }, body.events.slice(0, 200).map((e) => card(e, reviews))));
}

function play(player, body, atSeconds) {
  player.replaceChildren();
  const dayStart = Date.parse(body.from) / 1000;
  const at = dayStart + atSeconds;
  const recording = body.recordings.find((r) => Date.parse(r.start) / 1000 <= at && Date.parse(r.end) / 1000 > at);
  if (!recording) { player.append(h('p', { i18n: 'day.nofootage' })); return; }
  if (!can('investigator')) { player.append(h('p', { i18n: 'event.noplay' })); return; }
  const offset = Math.max(0, at - Date.parse(recording.start) / 1000);
  const end = Math.min(offset + 60, (Date.parse(recording.end) - Date.parse(recording.start)) / 1000);
  const video = h('video', { id: 'day-clip', controls: true, autoplay: true, muted: true, preload: 'auto',
    src: `/api/v1/recordings/${recording.id}/clip?from=${offset.toFixed(3)}&to=${end.toFixed(3)}` });
  player.append(h('p', { class: 'small', text: localTime(new Date(at * 1000).toISOString()) + ' UTC' }), video);
}

/** A zoomable SVG timeline of one day: coverage, gaps, and events shaded by score. */
class Timeline {
  constructor(body, onPick) {
    this.body = body;
    this.onPick = onPick;
    this.dayStart = Date.parse(body.from) / 1000;
    this.length = Date.parse(body.to) / 1000 - this.dayStart;
    this.from = 0;
    this.to = this.length;
    // A day with little footage opens on it (zoom out for the whole day).
    if (body.covered.length) {
      const first = this.sec(body.covered[0].start), last = this.sec(body.covered[body.covered.length - 1].end);
      if (last - first < 6 * 3600) {
        this.from = Math.max(0, first - 600);
        this.to = Math.min(this.length, last + 600);
      }
    }
    this.element = s('svg', { viewBox: '0 0 1000 110', class: 'timeline', preserveAspectRatio: 'none' });
    this.element.addEventListener('click', (e) => this.click(e));
    this.element.addEventListener('wheel', (e) => { e.preventDefault(); this.zoom(e.deltaY < 0 ? 0.7 : 1.4, this.at(e)); }, { passive: false });
    this.draw();
  }

  at(e) {
    const box = this.element.getBoundingClientRect();
    return this.from + ((e.clientX - box.left) / box.width) * (this.to - this.from);
  }

  zoom(factor, centre) {
    const middle = centre ?? (this.from + this.to) / 2;
    const span = Math.min(this.length, Math.max(60, (this.to - this.from) * factor));
    this.from = Math.max(0, Math.min(this.length - span, middle - span / 2));
    this.to = this.from + span;
    this.draw();
  }

  pan(fraction) {
    const span = this.to - this.from;
    this.from = Math.max(0, Math.min(this.length - span, this.from + fraction * span));
    this.to = this.from + span;
    this.draw();
  }

  x(sec) { return ((sec - this.from) / (this.to - this.from)) * 1000; }
  sec(iso) { return Date.parse(iso) / 1000 - this.dayStart; }

  draw() {
    const svg = this.element;
    svg.replaceChildren(s('rect', { x: 0, y: 20, width: 1000, height: 60, class: 'quiet' }));
    for (const gap of this.body.gaps) this.band(gap, 'gap');
    for (const covered of this.body.covered) this.band(covered, 'covered');
    for (const event of this.body.events) {
      const x0 = this.x(this.sec(event.start)), x1 = this.x(this.sec(event.end));
      if (x1 < 0 || x0 > 1000) continue;
      const bar = s('rect', { x: x0, y: 24, width: Math.max(2, x1 - x0), height: 52, class: 'ev', 'data-event-id': event.id,
        'fill-opacity': (0.35 + 0.65 * Math.min(1, event.score)).toFixed(2) });
      bar.append(s('title', {}, `${localTime(event.start_local)} · ${t('event.score')} ${event.score.toFixed(2)}`));
      svg.append(bar);
    }
    // Hour ticks (or minute ticks when zoomed in).
    const span = this.to - this.from;
    const step = span > 6 * 3600 ? 3600 * 2 : span > 3600 ? 3600 / 2 : span > 600 ? 300 : 60;
    for (let sec = Math.ceil(this.from / step) * step; sec <= this.to; sec += step) {
      const x = this.x(sec);
      const hh = String(Math.floor(sec / 3600)).padStart(2, '0'), mm = String(Math.floor((sec % 3600) / 60)).padStart(2, '0');
      svg.append(s('line', { x1: x, y1: 80, x2: x, y2: 88, class: 'tick' }), s('text', { x: x + 2, y: 102, class: 'ticklabel' }, `${hh}:${mm}`));
    }
  }

  band(span, kind) {
    const x0 = Math.max(0, this.x(this.sec(span.start))), x1 = Math.min(1000, this.x(this.sec(span.end)));
    if (x1 > x0) this.element.append(s('rect', { x: x0, y: kind === 'gap' ? 20 : 20, width: x1 - x0, height: 60, class: kind }));
  }

  click(e) {
    const target = e.target.closest ? e.target.closest('[data-event-id]') : null;
    const event = target ? this.body.events.find((ev) => String(ev.id) === target.getAttribute('data-event-id')) : null;
    this.onPick(this.at(e), event);
  }
}

// MARK: - Search

const searchFields = ['street', 'ward', 'camera', 'near', 'radius', 'from', 'to', 'min_duration', 'min_score', 'region', 'direction'];

export async function searchView(view, params) {
  const form = h('form', { class: 'filters', id: 'search-form' },
    field('street', 'search.street', params, { placeholder: 'Nguyen Trai' }),
    field('ward', 'search.ward', params),
    field('camera', 'search.camera', params),
    field('near', 'search.near', params, { placeholder: '10.7725,106.698' }),
    field('radius', 'search.radius', params, { type: 'number', min: 1 }),
    field('from', 'search.from', params, { placeholder: '2024-07-10T15:00' }),
    field('to', 'search.to', params, { placeholder: '2024-07-10T16:00' }),
    field('min_duration', 'search.duration', params, { type: 'number', step: 'any', min: 0 }),
    field('min_score', 'search.score', params, { type: 'number', step: 'any', min: 0 }),
    h('input', { type: 'hidden', name: 'region', value: params.get('region') || '' }),
    h('input', { type: 'hidden', name: 'direction', value: params.get('direction') || '' }),
    h('button', { type: 'submit', i18n: 'search.go' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const values = {};
    for (const name of searchFields) values[name] = form.elements[name].value;
    location.hash = '#/search' + query(values);
  });
  view.append(h('h1', { i18n: 'search.title' }), form);
  const regionBox = h('div', { class: 'region' });
  view.append(regionBox);
  const selection = h('div', { id: 'selection', class: 'selection', hidden: true },
    h('span', { class: 'count' }),
    can('investigator') ? h('a', { class: 'button', href: '#/exports', 'data-action': 'export', i18n: 'search.exportsel' }) : null);
  view.append(selection);
  const asked = {};
  for (const name of searchFields) if (params.get(name)) asked[name] = params.get(name);
  if (!Object.keys(asked).length) { updateSelection(); return; }
  const results = h('div', { class: 'grid', id: 'results' });
  const count = h('p', { class: 'count', id: 'result-count' });
  view.append(count, results);
  let cursor = null, total = 0;
  const more = h('button', { type: 'button', hidden: true, i18n: 'search.more', onclick: () => load() });
  view.append(more);
  state.list = [];
  async function load() {
    const page = await api.get('/api/v1/events' + query({ ...asked, limit: 60, cursor }));
    const reviews = await reviewsOf(page.events);
    total += page.events.length;
    state.list = state.list.concat(page.events);
    results.append(...page.events.map((e) => card(e, reviews)));
    count.textContent = total ? `${total} ${t('search.results')}` : t('search.none');
    cursor = page.next_cursor;
    more.hidden = !cursor;
    if (asked.camera && !asked.camera.includes(',') && page.events.find((e) => e.still)) regionEditor(regionBox, page.events.find((e) => e.still), form);
  }
  await load();
  updateSelection();
}

function field(name, label, params, extra = {}) {
  return h('label', {}, h('span', { i18n: label }), h('input', { name, value: params.get(name) || '', ...extra }));
}

/** Draw a region on one camera's still and pick a direction; they travel as region= and direction=. */
function regionEditor(box, event, form) {
  box.replaceChildren(h('h2', { i18n: 'search.region' }), h('p', { class: 'small', i18n: 'search.regionhelp' }));
  const frame = h('div', { class: 'still drawable' }, h('img', { src: event.still, alt: event.camera.id, draggable: 'false' }));
  const rect = h('div', { class: 'box drawn' });
  frame.append(rect);
  const show = (x, y, w, hgt) => {
    rect.hidden = !(w > 0 && hgt > 0);
    rect.style.left = `${x * 100}%`; rect.style.top = `${y * 100}%`; rect.style.width = `${w * 100}%`; rect.style.height = `${hgt * 100}%`;
  };
  const existing = (form.elements.region.value || '').split(',').map(Number);
  if (existing.length === 4 && existing.every((n) => !Number.isNaN(n))) show(...existing); else show(0, 0, 0, 0);
  let start = null;
  const point = (e) => {
    const b = frame.getBoundingClientRect();
    return [Math.min(1, Math.max(0, (e.clientX - b.left) / b.width)), Math.min(1, Math.max(0, (e.clientY - b.top) / b.height))];
  };
  frame.addEventListener('pointerdown', (e) => { start = point(e); frame.setPointerCapture(e.pointerId); e.preventDefault(); });
  frame.addEventListener('pointermove', (e) => {
    if (!start) return;
    const [x, y] = point(e);
    show(Math.min(x, start[0]), Math.min(y, start[1]), Math.abs(x - start[0]), Math.abs(y - start[1]));
  });
  frame.addEventListener('pointerup', (e) => {
    if (!start) return;
    const [x, y] = point(e);
    const r = [Math.min(x, start[0]), Math.min(y, start[1]), Math.abs(x - start[0]), Math.abs(y - start[1])];
    start = null;
    if (r[2] > 0.01 && r[3] > 0.01) form.elements.region.value = r.map((n) => n.toFixed(3)).join(',');
  });
  const direction = h('select', { name: 'dir', onchange: (e) => { form.elements.direction.value = e.target.value; } },
    [['', t('search.anydir')], ['left-to-right', '→'], ['right-to-left', '←'], ['top-to-bottom', '↓'], ['bottom-to-top', '↑']]
      .map(([value, label]) => h('option', { value, selected: form.elements.direction.value === value }, label)));
  box.append(frame, h('div', { class: 'toolbar' },
    h('label', {}, h('span', { i18n: 'search.direction' }), direction),
    h('button', { type: 'button', i18n: 'search.clearregion', onclick: () => { form.elements.region.value = ''; form.elements.direction.value = ''; show(0, 0, 0, 0); } }),
    h('button', { type: 'button', i18n: 'search.go', onclick: () => form.requestSubmit() })));
}

// MARK: - Event

export async function eventView(view, id) {
  const body = await api.get(`/api/v1/events/${encodeURIComponent(id)}`);
  const event = body.event;
  state.current = event;
  if (!state.list.find((e) => e.id === event.id)) state.list = [event];
  const media = h('div', { class: 'media' }, still(event));
  if (can('investigator')) {
    const video = h('video', { id: 'clip', controls: true, preload: 'auto', muted: true, playsinline: true, src: event.playback.clip_url });
    // Browsers play H.264; an HEVC or MJPEG recording is cut as it is, so say why nothing plays.
    video.addEventListener('error', () => media.append(h('p', { class: 'small error' },
      `${t('event.cannotplay')} (${body.recording.codec})`)));
    media.append(video);
  } else {
    media.append(h('p', { class: 'small', i18n: 'event.noplay' }));
  }
  const why = h('dl', { class: 'facts' },
    h('dt', { i18n: 'event.camera' }), h('dd', {}, h('a', { href: `#/cameras/${encodeURIComponent(event.camera.id)}?day=${event.start_local.slice(0, 10)}` },
      `${event.camera.id} · ${event.camera.street || ''}`)),
    h('dt', { i18n: 'event.time' }), h('dd', { text: `${localTime(event.start_local)} – ${localTime(event.end_local).slice(-8)}` }),
    h('dt', { i18n: 'event.score' }), h('dd', { text: event.score.toFixed(3) }),
    h('dt', { i18n: 'event.area' }), h('dd', { text: `${(event.area * 100).toFixed(2)} %` }),
    h('dt', { i18n: 'event.duration' }), h('dd', { text: seconds(event.duration_s) }));
  const review = h('form', { class: 'review', id: 'review' },
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'reviewed' }), h('span', { i18n: 'event.reviewed' })),
    h('label', {}, h('span', { i18n: 'event.note' }), h('textarea', { name: 'note', rows: 2, maxlength: 4000 })),
    h('button', { type: 'submit', i18n: 'event.save' }));
  review.addEventListener('submit', async (e) => {
    e.preventDefault();
    await saveReview(event.id, review.elements.reviewed.checked, review.elements.note.value);
  });
  review.elements.reviewed.addEventListener('change', () => review.requestSubmit());
  const actions = h('div', { class: 'toolbar' },
    h('a', { class: 'button', href: `#/cameras/${encodeURIComponent(event.camera.id)}?day=${event.start_local.slice(0, 10)}`, i18n: 'event.day' }),
    can('investigator') ? h('button', { type: 'button', 'data-action': 'export', i18n: 'event.export',
      onclick: () => { state.selected.add(event.id); location.hash = '#/exports'; } }) : null);
  const nearby = h('div', { class: 'grid small-grid' });
  const incidents = h('ul', { class: 'plain' });
  view.append(h('h1', {}, `${t('event.title')} ${event.id}`),
    h('div', { class: 'event', 'data-event-id': event.id }, media,
      h('section', {}, h('h2', { i18n: 'event.why' }), why, review, actions)),
    h('h2', { i18n: 'event.incidents' }), incidents, h('h2', { i18n: 'event.nearby' }), nearby);
  const [reviewBody, nearBody, incidentBody] = await Promise.all([
    api.get(`/api/v1/events/${event.id}/review`).catch(() => null),
    api.get(`/api/v1/events/${event.id}/nearby?seconds=120`).catch((e) => ({ error: e })),
    api.get(`/api/v1/events/${event.id}/incidents`).catch((e) => ({ error: e })),
  ]);
  if (reviewBody) { review.elements.reviewed.checked = reviewBody.reviewed; review.elements.note.value = reviewBody.note; }
  if (nearBody.error) nearby.append(failure(nearBody.error));
  else if (!nearBody.events.length) nearby.append(h('p', { i18n: 'event.nonearby' }));
  else nearby.append(...nearBody.events.map((e) => card(e)));
  if (incidentBody.error) incidents.append(failure(incidentBody.error));
  else if (!incidentBody.incidents.length) incidents.append(h('li', { i18n: 'event.noincidents' }));
  else incidents.append(...incidentBody.incidents.map(({ incident, link }) => h('li', {},
    h('a', { href: `#/incidents/${encodeURIComponent(incident.reference)}` }, `${incident.reference} · ${incident.category}`),
    ` — ${t(`incident.state.${link.state}`)} (${link.score.toFixed(2)})`)));
}

export async function saveReview(id, reviewed, note) {
  try {
    const body = { reviewed };
    if (note !== undefined) body.note = note;
    await api.put(`/api/v1/events/${id}/review`, body);
    toast(t('event.saved'));
    const form = document.getElementById('review');
    if (form && reviewed !== undefined) form.elements.reviewed.checked = reviewed;
    for (const element of document.querySelectorAll(`.card[data-event-id="${id}"]`)) element.classList.toggle('reviewed', !!reviewed);
  } catch (error) {
    toast(error.message, true);
  }
}

// MARK: - Incidents and tips

export async function incidentsView(view, params) {
  const form = h('form', { class: 'filters' },
    field('text', 'incidents.text', params),
    h('label', {}, h('span', { i18n: 'incidents.status' }), h('select', { name: 'status' },
      [['', 'incidents.any'], ['open', 'incidents.open'], ['closed', 'incidents.closed']].map(([v, k]) =>
        h('option', { value: v, selected: (params.get('status') || '') === v }, t(k))))),
    field('from', 'search.from', params), field('to', 'search.to', params),
    h('button', { type: 'submit', i18n: 'incidents.filter' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = '#/incidents' + query({ text: form.elements.text.value, status: form.elements.status.value,
      from: form.elements.from.value, to: form.elements.to.value });
  });
  view.append(h('h1', { i18n: 'incidents.title' }), form);
  const body = await api.get('/api/v1/incidents' + query({ text: params.get('text'), status: params.get('status'),
    from: params.get('from'), to: params.get('to'), limit: 500 }));
  if (!body.incidents.length) { view.append(h('p', { i18n: 'incidents.none' })); return; }
  view.append(h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, h('th', { text: '#' }), h('th', { i18n: 'common.time' }), h('th', { i18n: 'common.place' }),
      h('th', { i18n: 'common.description' }), h('th', { i18n: 'incidents.status' }))),
    h('tbody', {}, body.incidents.map((i) => h('tr', {},
      h('td', {}, h('a', { href: `#/incidents/${encodeURIComponent(i.reference)}`, text: i.reference })),
      h('td', { text: localTime(i.time.at || i.time.from || i.reported_at) }),
      h('td', { text: placeText(i.place) }), h('td', { text: `${i.category}: ${i.description}` }),
      h('td', { text: t(`incidents.${i.status}`) }))))));
}

function placeText(place) {
  if (!place) return '';
  return [place.text, place.street, place.ward, place.latitude != null ? `${place.latitude},${place.longitude}` : null].filter(Boolean).join(' · ');
}

export async function incidentView(view, reference) {
  const found = await api.get(`/api/v1/incident-references/${encodeURIComponent(reference)}`);
  const body = await api.get(`/api/v1/incidents/${found.id}`);
  const i = body.incident;
  view.append(h('h1', {}, `${t('nav.incidents')} ${i.reference}`),
    h('dl', { class: 'facts' },
      h('dt', { i18n: 'common.time' }), h('dd', { text: localTime(i.time.at || i.time.from || i.reported_at) }),
      h('dt', { i18n: 'common.place' }), h('dd', { text: placeText(i.place) }),
      h('dt', { i18n: 'common.description' }), h('dd', { text: `${i.category}: ${i.description}` }),
      h('dt', { i18n: 'incidents.status' }), h('dd', { text: t(`incidents.${i.status}`) })),
    h('h2', { i18n: 'incident.links' }));
  state.list = [];
  if (!body.links.length) view.append(h('p', { i18n: 'incident.nolinks' }));
  const rows = body.links.map((link) => {
    const stateCell = h('td', { class: `state ${link.state}`, text: t(`incident.state.${link.state}`) });
    const decide = (verb) => async () => {
      try {
        const updated = await api.post(`/api/v1/incidents/${i.id}/links/${link.event}/${verb}`);
        stateCell.textContent = t(`incident.state.${updated.state}`);
        stateCell.className = `state ${updated.state}`;
        toast(t(`incident.state.${updated.state}`));
      } catch (error) { toast(error.message, true); }
    };
    return h('tr', { 'data-event-id': link.event },
      h('td', {}, link.still ? h('img', { class: 'thumb', src: link.still, alt: '' }) : null),
      h('td', {}, h('a', { href: `#/events/${link.event}` }, `${link.event} · ${link.camera}`), h('br'), h('span', { class: 'small', text: localTime(link.start) })),
      h('td', { text: link.score.toFixed(2) }), h('td', { class: 'reason', text: link.reason }), stateCell,
      h('td', {}, can('investigator') ? [
        h('button', { type: 'button', class: 'confirm', onclick: decide('confirm'), i18n: 'incident.confirm' }),
        h('button', { type: 'button', class: 'reject', onclick: decide('reject'), i18n: 'incident.reject' })] : null));
  });
  if (rows.length) {
    view.append(h('table', { class: 'list links' }, h('thead', {}, h('tr', {}, h('th'), h('th', { i18n: 'event.title' }),
      h('th', { i18n: 'event.score' }), h('th', { i18n: 'incident.reason' }), h('th', { i18n: 'incidents.status' }), h('th'))),
    h('tbody', {}, rows)));
  }
  view.append(h('h2', { i18n: 'incident.tips' }), tipTable(body.tips));
}

function tipTable(tips) {
  if (!tips.length) return h('p', { i18n: 'tips.none' });
  const contacts = can('investigator');
  return h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, h('th', { text: '#' }), h('th', { i18n: 'common.time' }), h('th', { i18n: 'common.place' }),
      h('th', { i18n: 'common.description' }), h('th', { i18n: 'tips.channel' }), contacts ? h('th', { i18n: 'incident.contact' }) : null)),
    h('tbody', {}, tips.map((tip) => h('tr', {},
      h('td', { text: tip.reference }), h('td', { text: localTime(tip.time.at || tip.time.from || tip.received_at) }),
      h('td', { text: placeText(tip.place) }), h('td', { text: tip.description }), h('td', { text: tip.channel || '' }),
      contacts ? h('td', { class: 'contact', text: tip.reporter_contact || '' }) : null))));
}

export async function tipsView(view, params) {
  const form = h('form', { class: 'filters' },
    field('text', 'incidents.text', params), field('channel', 'tips.channel', params), field('incident', 'tips.incident', params),
    field('from', 'search.from', params), field('to', 'search.to', params),
    h('button', { type: 'submit', i18n: 'incidents.filter' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const values = {};
    for (const name of ['text', 'channel', 'incident', 'from', 'to']) values[name] = form.elements[name].value;
    location.hash = '#/tips' + query(values);
  });
  view.append(h('h1', { i18n: 'tips.title' }), form);
  const asked = {};
  for (const name of ['text', 'channel', 'incident', 'from', 'to']) asked[name] = params.get(name);
  const body = await api.get('/api/v1/tips' + query({ ...asked, limit: 500 }));
  view.append(tipTable(body.tips));
}

// MARK: - Exports

export async function exportsView(view, params) {
  view.append(h('h1', { i18n: 'export.title' }));
  if (!can('investigator')) { view.append(h('p', { i18n: 'event.noplay' })); return; }
  const form = h('form', { class: 'filters', id: 'export-form' },
    h('label', { class: 'wide' }, h('span', { i18n: 'export.events' }),
      h('input', { name: 'events', value: [...state.selected].join(','), placeholder: '12,15' })),
    h('p', { class: 'small wide', i18n: 'export.orrange' }),
    field('camera', 'search.camera', params), field('from', 'search.from', params), field('to', 'search.to', params),
    h('label', {}, h('span', { i18n: 'export.case' }), h('input', { name: 'case_id', required: true })),
    h('label', { class: 'wide' }, h('span', { i18n: 'export.reason' }), h('input', { name: 'reason', required: true })),
    h('button', { type: 'submit', i18n: 'export.go' }));
  const result = h('div', { id: 'export-result' });
  const list = h('div', { id: 'bundles' });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = form.elements;
    const ids = f.events.value.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
    const body = { case_id: f.case_id.value, reason: f.reason.value };
    if (ids.length) body.events = ids; else Object.assign(body, { camera: f.camera.value, from: f.from.value, to: f.to.value });
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const made = await api.post('/api/v1/exports', body);
      result.replaceChildren(h('p', { class: 'ok' }, `${t('export.done')}: `, h('a', { href: made.download_url, download: made.name, text: made.name })));
      state.selected.clear();
      await bundles(list);
    } catch (error) {
      result.replaceChildren(failure(error));
    } finally { button.disabled = false; }
  });
  view.append(form, result, h('h2', { i18n: 'export.bundles' }), list);
  await bundles(list);
}

async function bundles(list) {
  const body = await api.get('/api/v1/bundles');
  if (!body.bundles.length) { list.replaceChildren(h('p', { i18n: 'export.none' })); return; }
  list.replaceChildren(h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, h('th', { i18n: 'export.case' }), h('th', { i18n: 'common.time' }), h('th', { i18n: 'export.reason' }),
      h('th', { i18n: 'event.title' }), h('th'), h('th'))),
    h('tbody', {}, body.bundles.map((b) => {
      const status = h('span', { class: 'verify-state', i18n: 'export.unverified' });
      return h('tr', { 'data-bundle': b.name },
        h('td', { text: b.case_id }), h('td', { text: localTime(b.created) }), h('td', { text: `${b.reason} (${b.actor})` }),
        h('td', { text: b.events.join(', ') }),
        h('td', {}, h('a', { href: b.download_url, download: b.name, i18n: 'export.download' })),
        h('td', {}, h('button', { type: 'button', i18n: 'export.verify', onclick: async () => {
          try {
            const v = await api.post(`/api/v1/bundles/${encodeURIComponent(b.name)}/verify`);
            status.textContent = v.intact ? `${t('export.intact')} (${v.files_checked})` : `${t('export.broken')}: ${v.problem}`;
            status.className = 'verify-state ' + (v.intact ? 'ok' : 'bad');
          } catch (error) { toast(error.message, true); }
        } }), ' ', status));
    }))));
}

// MARK: - Operations

export async function opsView(view) {
  view.append(h('h1', { i18n: 'ops.title' }));
  const body = await api.get('/api/v1/status');
  view.append(h('table', { class: 'list health' },
    h('thead', {}, h('tr', {}, h('th', { i18n: 'event.camera' }), h('th', { i18n: 'common.street' }), h('th', { i18n: 'ops.state' }),
      h('th', { i18n: 'ops.lag' }), h('th', { i18n: 'ops.last' }), h('th', { i18n: 'ops.events' }), h('th', { i18n: 'ops.problems' }))),
    h('tbody', {}, body.cameras.map((c) => h('tr', { class: c.state },
      h('td', {}, h('a', { href: `#/cameras/${encodeURIComponent(c.id)}`, text: c.id })), h('td', { text: c.street || '' }),
      h('td', {}, h('span', { class: `dot ${c.state}` }, t(`health.${c.state}`))), h('td', { text: seconds(c.lag_s) }),
      h('td', { text: localTime(c.last_recording_end) }), h('td', { text: c.events }), h('td', { text: c.problems.join('; ') }))))));
  if (!can('admin')) return;
  const result = h('span', { id: 'chain-state' });
  const filter = h('form', { class: 'filters' },
    h('label', {}, h('span', { i18n: 'ops.actor' }), h('input', { name: 'actor' })),
    h('label', {}, h('span', { i18n: 'ops.action' }), h('input', { name: 'action' })),
    h('button', { type: 'submit', i18n: 'incidents.filter' }),
    h('button', { type: 'button', id: 'verify-chain', i18n: 'ops.verify', onclick: async () => {
      const v = await api.post('/api/v1/audit/verify');
      result.textContent = v.intact ? `${t('ops.chainok')} (${v.entries} ${t('ops.entries')})` : `${t('ops.chainbad')}: ${v.problem}`;
      result.className = v.intact ? 'ok' : 'bad';
    } }), result);
  const table = h('div', { id: 'audit' });
  const load = async () => {
    const list = await api.get('/api/v1/audit' + query({ actor: filter.elements.actor.value, action: filter.elements.action.value, limit: 200 }));
    table.replaceChildren(h('p', { class: 'small' }, `${list.total} ${t('ops.entries')}`), h('table', { class: 'list audit' },
      h('thead', {}, h('tr', {}, h('th', { text: '#' }), h('th', { i18n: 'common.time' }), h('th', { i18n: 'ops.actor' }),
        h('th', { i18n: 'ops.action' }), h('th', { i18n: 'ops.query' }), h('th', { i18n: 'ops.results' }))),
      h('tbody', {}, list.entries.map((a) => h('tr', { 'data-action': a.action },
        h('td', { text: a.sequence }), h('td', { text: localTime(a.time) }), h('td', { text: a.actor }), h('td', { text: a.action }),
        h('td', { class: 'query', text: a.query }), h('td', { text: a.result_count ?? '' }))))));
  };
  filter.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  view.append(h('h2', { i18n: 'ops.audit' }), filter, table);
  await load();
}

export { failure, translate };
