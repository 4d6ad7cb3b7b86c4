import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import { h } from 'vue';
import { MermaidDiagram } from './mermaid-diagram.js';
import './start.css';

/** The default theme; the start page asks its question above the framework cards, and pages draw Mermaid diagrams. */
export default {
  extends: DefaultTheme,
  Layout: () =>
    h(DefaultTheme.Layout, null, {
      'home-features-before': () => h('h2', { class: 'start-question', id: 'what-do-you-run' }, 'What do you run?'),
    }),
  enhanceApp({ app }) {
    app.component('MermaidDiagram', MermaidDiagram);
  },
} satisfies Theme;
