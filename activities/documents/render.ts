import type { CaseView, CloseReason, PromiseInput, Review } from '../../libs/contracts/src';
import { html, raw, type SafeHtml } from './html';

/** What the memo takes from the `meeting.held` entry besides the view (who came, what was reviewed). */
export interface MeetingRecord {
  attendees: string[];
  reviews: Review[];
  newPromises: PromiseInput[];
  nextMeetingAt?: string;
  close?: { reason: CloseReason; note?: string };
}

export const DOCUMENT_CONTENT_TYPE = 'text/html; charset=utf-8';

const ZONE = 'Europe/Helsinki';
const dateTime = new Intl.DateTimeFormat('fi-FI', {
  timeZone: ZONE,
  day: 'numeric',
  month: 'numeric',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const dateOnly = new Intl.DateTimeFormat('fi-FI', {
  timeZone: ZONE,
  day: 'numeric',
  month: 'numeric',
  year: 'numeric',
});

/** `23.11.2026 klo 10.00`, Finnish local time. An unreadable value is shown as it is (escaped). */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateOnly.format(d);
}

const closeReasonText: Record<string, string> = {
  needsMet: 'Tavoitteet on saavutettu, eikä uusia tapaamisia tarvita.',
  moved: 'Perhe muuttaa toiseen kuntaan; työ siirtyy uuden kunnan verkostolle.',
  declined: 'Perhe ei halua jatkaa verkostotyötä.',
  noAgreement: 'Yhteistä suunnitelmaa ei syntynyt.',
  other: 'Verkostotyö päättyy.',
};

const outcomeText: Record<Review['outcome'], string> = {
  kept: 'Toteutui',
  notKept: 'Ei toteutunut',
  dropped: 'Luovuttiin',
};

const STYLE = `
@page { size: A4; margin: 20mm 18mm; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Source Sans 3", "Segoe UI", Arial, sans-serif; font-size: 11pt; line-height: 1.4; color: #111; margin: 0; }
h1 { font-size: 17pt; margin: 0 0 4pt; }
h2 { font-size: 12.5pt; margin: 16pt 0 6pt; border-bottom: 1px solid #999; padding-bottom: 2pt; }
p { margin: 4pt 0; }
.meta { color: #444; font-size: 10pt; }
table { width: 100%; border-collapse: collapse; font-size: 10pt; }
th, td { border: 1px solid #999; padding: 4pt 6pt; text-align: left; vertical-align: top; }
th { background: #eee; }
thead { display: table-header-group; }
tr, li { page-break-inside: avoid; break-inside: avoid; }
footer { margin-top: 24pt; font-size: 9pt; color: #555; }
`;

function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="fi">
      <head>
        <meta charset="utf-8" />
        <title>${title}</title>
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        ${body}
      </body>
    </html> `.text;
}

/** Who an id stands for: a participant's name, or a user id with the user's role in the case. */
function namer(view: CaseView): (id: string) => string {
  const names = new Map<string, string>();
  for (const c of view.coordinators) names.set(c.sub, `${c.sub} (koollekutsuja)`);
  names.set(view.caseworker.sub, `${view.caseworker.sub} (sosiaalityöntekijä)`);
  for (const p of view.participants) names.set(p.id, p.name);
  return (id) => names.get(id) ?? id;
}

function promiseTable(
  rows: { what: string; owner: string; verifier: string; dueAt: string }[],
  nameOf: (id: string) => string,
  headings: [string, string],
  empty: string,
) {
  if (rows.length === 0) return html`<p>${empty}</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>${headings[0]}</th>
        <th>${headings[1]}</th>
        <th>Kuka seuraa</th>
        <th>Mihin mennessä</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr>
            <td>${r.what}</td>
            <td>${nameOf(r.owner)}</td>
            <td>${nameOf(r.verifier)}</td>
            <td>${formatDate(r.dueAt)}</td>
          </tr> `,
      )}
    </tbody>
  </table>`;
}

function header(
  title: string,
  when: SafeHtml,
  view: CaseView,
  recipient: string,
  nameOf: (id: string) => string,
) {
  return html`<header>
    <h1>${title}</h1>
    <p class="meta">${when} · Viite ${view.id}</p>
    <p class="meta">Vastaanottaja: ${nameOf(recipient)}</p>
  </header>`;
}

function nextStep(view: CaseView, close: MeetingRecord['close'] | undefined, endHeading: string) {
  if (view.nextMeetingAt) {
    return html`<h2>Seuraava tapaaminen</h2>
      <p>${formatDateTime(view.nextMeetingAt)}</p>`;
  }
  const reason = close?.reason ?? view.closedReason;
  if (reason) {
    return html`<h2>${endHeading}</h2>
      <p>${closeReasonText[reason] ?? closeReasonText.other}</p>
      ${close?.note ? html`<p>${close.note}</p>` : ''}`;
  }
  return html``;
}

/**
 * The network meeting's memo (muistio): who attended, how earlier promises went, the promises in force
 * after the meeting (what, who, who checks, by when) and the next meeting or the closure.
 */
export function renderMemo(view: CaseView, recipient: string, meeting: MeetingRecord | null): string {
  const nameOf = namer(view);
  const what = new Map(view.promises.map((p) => [p.id, p.what]));
  const open = view.promises.filter((p) => p.status === 'open');
  const body = html`${header('Verkostokokouksen muistio', html`Kokous ${formatDateTime(view.updatedAt)}`, view, recipient, nameOf)}
    ${
      meeting
        ? html`<section>
            <h2>Läsnä</h2>
            <ul>
              ${meeting.attendees.map((id) => html`<li>${nameOf(id)}</li> `)}
            </ul>
          </section>`
        : ''
    }
    ${
      meeting && meeting.reviews.length > 0
        ? html`<section>
            <h2>Edellisten lupausten toteutuminen</h2>
            <table>
              <thead>
                <tr>
                  <th>Lupaus</th>
                  <th>Tulos</th>
                  <th>Huomiot</th>
                </tr>
              </thead>
              <tbody>
                ${meeting.reviews.map(
                  (r) =>
                    html`<tr>
                      <td>${what.get(r.promiseId) ?? r.promiseId}</td>
                      <td>${outcomeText[r.outcome] ?? r.outcome}</td>
                      <td>
                        ${[r.note, r.newSolution ? `Uusi ratkaisu: ${r.newSolution}` : undefined].filter(Boolean).join(' ')}
                      </td>
                    </tr> `,
                )}
              </tbody>
            </table>
          </section>`
        : ''
    }
    <section>
      <h2>Lupaukset</h2>
      ${promiseTable(open, nameOf, ['Mitä lupasi', 'Kuka'], 'Ei voimassa olevia lupauksia.')}
    </section>
    <section>${nextStep(view, meeting?.close, 'Verkostotyön päättyminen')}</section>
    <footer>Muistio lähetetään kaikille verkostokokoukseen kutsutuille.</footer>`;
  return page('Verkostokokouksen muistio', body);
}

/** The network-mapping plan letter: the things agreed and who is responsible, then what comes next. */
export function renderPlanLetter(view: CaseView, recipient: string): string {
  const nameOf = namer(view);
  const items = view.plan.items.map((item) => ({
    what: text(item.what),
    owner: text(item.owner),
    verifier: text(item.verifier),
    dueAt: text(item.dueAt),
  }));
  const body = html`${header('Läheisverkoston kartoitus: suunnitelma', html`Päivätty ${formatDate(view.updatedAt)}`, view, recipient, nameOf)}
    <section>
      <p>Tapaamisessa sovittiin seuraavista asioista ja vastuista.</p>
      ${promiseTable(items, nameOf, ['Mitä sovittiin', 'Kuka vastaa'], 'Ei sovittuja asioita.')}
    </section>
    <section>${nextStep(view, undefined, 'Kartoituksen päättyminen')}</section>
    <footer>Suunnitelma lähetetään kaikille tapaamiseen osallistuneille.</footer>`;
  return page('Läheisverkoston kartoitus: suunnitelma', body);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}
