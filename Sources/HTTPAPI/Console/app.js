// The console's entry: sign-in, the hash router (every view has a link that can be shared),
// and keyboard shortcuts.

import { can, resume, session, signIn, signOut } from './api.js';
import { t, toggleLanguage, translate } from './i18n.js';
import {
  dayView, eventView, exportsView, failure, h, incidentView, incidentsView, mapView, opsView, saveReview,
  searchView, state, tipsView,
} from './views.js';

const view = document.getElementById('view');
let rendering = 0;

function parse() {
  const hash = location.hash.replace(/^#/, '') || '/map';
  const [path, search = ''] = hash.split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(search) };
}

async function route() {
  if (!session.user) return;
  const ticket = ++rendering;
  view.dataset.ready = 'false';
  const { parts, params } = parse();
  const fresh = h('div', { class: 'page' });
  view.replaceChildren(h('p', { class: 'loading', i18n: 'common.loading' }));
  for (const link of document.querySelectorAll('#nav a')) link.classList.toggle('active', link.getAttribute('href') === `#/${parts[0] || 'map'}`);
  try {
    switch (parts[0]) {
      case 'search': await searchView(fresh, params); break;
      case 'events': await eventView(fresh, parts[1]); break;
      case 'cameras': await dayView(fresh, parts[1], params); break;
      case 'incidents': if (parts[1]) await incidentView(fresh, parts[1]); else await incidentsView(fresh, params); break;
      case 'tips': await tipsView(fresh, params); break;
      case 'exports': await exportsView(fresh, params); break;
      case 'ops': await opsView(fresh); break;
      default: await mapView(fresh);
    }
  } catch (error) {
    fresh.append(failure(error));
  }
  if (ticket !== rendering) return;
  view.replaceChildren(fresh);
  view.dataset.view = parts[0] || 'map';
  view.dataset.ready = 'true';
}

function showSignedIn() {
  document.getElementById('signin-view').hidden = true;
  document.getElementById('bar').hidden = false;
  document.getElementById('who').textContent = `${session.user} (${session.role}${session.ward ? ' · ' + session.ward : ''})`;
  for (const element of document.querySelectorAll('[data-role]')) element.hidden = !can(element.dataset.role);
  route();
}

function showSignIn() {
  document.getElementById('bar').hidden = true;
  view.replaceChildren();
  view.dataset.ready = 'false';
  document.getElementById('signin-view').hidden = false;
  document.querySelector('input[name=token]').focus();
}

function labelLanguage() {
  for (const id of ['lang', 'lang2']) document.getElementById(id).textContent = t('lang');
  translate(document);
}

// MARK: - Keyboard

const keys = [
  ['j', 'key.next'], ['k', 'key.prev'], ['Enter', 'key.open'], ['x', 'key.select'], ['Space', 'key.play'],
  ['r', 'key.reviewed'], ['e', 'key.export'], ['/', 'key.search'], ['?', 'key.help'],
];

function cards() { return [...view.querySelectorAll('.card[data-event-id]')]; }

function step(delta) {
  if (parse().parts[0] === 'events' && state.current) {
    const index = state.list.findIndex((e) => e.id === state.current.id);
    const next = state.list[index + delta];
    if (next) location.hash = `#/events/${next.id}`;
    return;
  }
  const all = cards();
  if (!all.length) return;
  const index = all.indexOf(document.activeElement);
  const target = all[Math.max(0, Math.min(all.length - 1, index < 0 ? 0 : index + delta))];
  target.focus();
  target.scrollIntoView({ block: 'nearest' });
}

function focusedEventID() {
  if (parse().parts[0] === 'events' && state.current) return state.current.id;
  const card = document.activeElement?.closest?.('.card[data-event-id]');
  return card ? Number(card.dataset.eventId) : null;
}

document.addEventListener('keydown', (e) => {
  if (!session.user || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.target.closest('input, textarea, select')) return;
  const help = document.getElementById('help');
  switch (e.key) {
    case 'j': case 'ArrowRight': step(1); break;
    case 'k': case 'ArrowLeft': step(-1); break;
    case 'Enter': {
      const id = focusedEventID();
      if (id && parse().parts[0] !== 'events') location.hash = `#/events/${id}`; else return;
      break;
    }
    case 'x': {
      const pick = document.activeElement?.closest?.('.card')?.querySelector('.pick');
      if (pick) pick.click(); else return;
      break;
    }
    case ' ': {
      const video = view.querySelector('video');
      if (!video) return;
      if (video.paused) video.play().catch(() => {}); else video.pause();
      break;
    }
    case 'r': {
      const id = focusedEventID();
      if (!id) return;
      const box = document.querySelector('#review input[name=reviewed]');
      saveReview(id, box ? !box.checked : true);
      break;
    }
    case 'e': {
      if (!can('investigator')) return;
      const id = focusedEventID();
      if (id) state.selected.add(id);
      location.hash = '#/exports';
      break;
    }
    case '/': location.hash = '#/search'; break;
    case '?': if (help.open) help.close(); else help.showModal(); break;
    default: return;
  }
  e.preventDefault();
});

// MARK: - Start

document.addEventListener('DOMContentLoaded', async () => {
  document.getElementById('help-keys').append(...keys.flatMap(([key, label]) => [h('dt', {}, h('kbd', { text: key })), h('dd', { i18n: label })]));
  labelLanguage();
  for (const id of ['lang', 'lang2']) document.getElementById(id).addEventListener('click', () => { toggleLanguage(); labelLanguage(); route(); });
  document.getElementById('help-open').addEventListener('click', () => document.getElementById('help').showModal());
  document.getElementById('signout').addEventListener('click', async () => {
    try { await signOut(); } finally { showSignIn(); }
  });
  const form = document.getElementById('signin');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = form.elements.token;
    const error = document.getElementById('signin-error');
    error.textContent = '';
    try {
      await signIn(input.value);
      input.value = '';
      showSignedIn();
    } catch (failed) {
      input.value = '';
      error.textContent = `${t('signin.failed')}: ${failed.message}`;
    }
  });
  window.addEventListener('hashchange', route);
  window.addEventListener('ww-signed-out', () => { session.user = null; showSignIn(); });
  try {
    if (await resume()) showSignedIn(); else showSignIn();
  } catch {
    showSignIn();
  }
});
