export { ConsoleAdapter } from './adapter.ts';
export { runConsolePrompt } from './prompt.ts';
export { renderMessage, renderNotice, renderReply } from './render.ts';
