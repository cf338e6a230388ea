/**
 * The page's answers to media queries, set by a test in every engine: only Chromium's protocol
 * emulates media features, so the element's `matchMedia` questions are answered here instead.
 */
import sinon from 'sinon';

/**
 * Until `sinon.restore()`, `matchMedia(query)` matches as `answers` says for the queries it names
 * (real `MediaQueryList`s of `all` or `not all`, listeners and all) and as the browser does otherwise.
 */
export function answerMedia(answers: Record<string, boolean>): void {
  const real = window.matchMedia.bind(window);
  sinon
    .stub(window, 'matchMedia')
    .callsFake((query: string) => (query in answers ? real(answers[query] ? 'all' : 'not all') : real(query)));
}
