import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, headless, as this machine runs it: without the background-networking flags it
 * keeps trying hosts this closed network refuses (STACK-NOTES 'Install').
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
