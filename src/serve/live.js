// briefing serve: reloads the page when the site is rebuilt, and shows build errors over it.
// Added to pages by `briefing serve` only; never part of the built site.
(() => {
  'use strict';
  const script = document.currentScript;
  const pageBuild = script ? script.dataset.build : '';
  const OVERLAY = '__briefing-overlay';
  const SCROLL = '__briefing-scroll';

  // The output file this page was served from: `/briefs/x/` and `/briefs/x/index.html` are
  // both `briefs/x/index.html`.
  function currentPath() {
    let p = location.pathname;
    try { p = decodeURIComponent(p); } catch (e) { /* keep it encoded */ }
    p = p.replace(/^\/+/, '');
    if (p === '' || p.endsWith('/')) p += 'index.html';
    return p;
  }

  // The address of an output file, in the site's pretty form.
  function urlOf(path) {
    return '/' + encodeURI(path.replace(/(^|\/)index\.html$/, '$1'));
  }

  function reload() {
    try { sessionStorage.setItem(SCROLL, JSON.stringify([location.pathname, scrollX, scrollY])); } catch (e) { /* private mode */ }
    location.reload();
  }

  function restoreScroll() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(SCROLL) || 'null');
      sessionStorage.removeItem(SCROLL);
      if (saved && saved[0] === location.pathname) scrollTo(saved[1], saved[2]);
    } catch (e) { /* nothing saved */ }
  }

  function hideErrors() {
    const old = document.getElementById(OVERLAY);
    if (old) old.remove();
  }

  // Every error as text (never HTML), in a labelled region screen readers announce.
  function showErrors(errors) {
    hideErrors();
    const box = document.createElement('section');
    box.id = OVERLAY;
    box.setAttribute('role', 'alert');
    box.setAttribute('aria-labelledby', OVERLAY + '-title');
    box.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;' +
      'padding:1.5rem;background:rgba(20,20,24,.94);color:#f4f4f4;font:14px/1.45 ui-monospace,' +
      'SFMono-Regular,Menlo,Consolas,monospace;text-align:left';
    const title = document.createElement('h2');
    title.id = OVERLAY + '-title';
    title.style.cssText = 'margin:0 0 1rem;font:bold 1.15rem/1.3 system-ui,sans-serif;color:#ff8f8f';
    title.textContent = errors.length === 1
      ? 'The site could not be rebuilt: 1 error'
      : `The site could not be rebuilt: ${errors.length} errors`;
    const note = document.createElement('p');
    note.style.cssText = 'margin:0 0 1rem;font:0.95rem/1.4 system-ui,sans-serif';
    note.textContent = 'The last good version stays served. Fix the file and this page reloads.';
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Hide';
    close.style.cssText = 'position:absolute;top:1rem;right:1rem;font:inherit;padding:.2rem .8rem';
    close.addEventListener('click', hideErrors);
    box.append(title, note, close);
    for (const e of errors) {
      const pre = document.createElement('pre');
      pre.className = OVERLAY + '-error';
      pre.style.cssText = 'white-space:pre-wrap;margin:0 0 1rem;padding:1rem;background:#000;' +
        'border-left:4px solid #ff5f5f;overflow:auto';
      pre.textContent = e.text;
      box.append(pre);
    }
    document.body.append(box);
  }

  function onReload(data) {
    const here = currentPath();
    const moved = (data.moved || []).find((m) => m[0] === here);
    if (moved) { location.replace(urlOf(moved[1])); return; }
    if ((data.removed || []).includes(here)) { location.replace('/'); return; }
    const broken = document.getElementById(OVERLAY) || document.body.hasAttribute('data-briefing-error');
    const asset = (p) => !/\.(html|xml|txt|json)$/.test(p);
    const written = data.written; // null: too many to list, so everything
    if (broken || !written || written.includes(here) || written.some(asset)) reload();
  }

  restoreScroll();
  const events = new EventSource('/__briefing/events');
  events.addEventListener('hello', (e) => {
    const data = JSON.parse(e.data);
    // For tests and the curious: the page is listening.
    window.__briefingLive = data.build;
    if (data.errors) showErrors(data.errors);
    else if (pageBuild && data.build !== pageBuild) reload();
  });
  events.addEventListener('reload', (e) => onReload(JSON.parse(e.data)));
  events.addEventListener('build-error', (e) => showErrors(JSON.parse(e.data).errors));
})();
