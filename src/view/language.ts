/**
 * Keeps an element in its page's language: it renders again when a language arrives (a shipped
 * one fetched on demand, or one a merchant adds), and stops listening once it leaves the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Copy } from '../i18n/copy.js';
import { copyFor, languageReady, onLanguagesChanged } from '../i18n/languages.js';

/** The host's copy, following its nearest `lang`. */
export class LanguageController implements ReactiveController {
  private shown: Copy | undefined;
  private stopListening: (() => void) | undefined;

  constructor(private readonly host: ReactiveControllerHost & Element) {
    host.addController(this);
  }

  /**
   * The copy to show now. While a newly chosen language loads, the one shown before it stays
   * (no flash of English); `undefined` only before any language could be shown.
   */
  get copy(): Copy | undefined {
    this.shown = copyFor(this.host) ?? this.shown;
    return this.shown;
  }

  /** Settles once the host's language can be shown (or English stands in for it). */
  get ready(): Promise<void> {
    return languageReady(this.host);
  }

  hostConnected(): void {
    this.stopListening = onLanguagesChanged(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.stopListening?.();
    this.stopListening = undefined;
  }
}
