import { useData } from 'vitepress';
import { defineComponent, h, onMounted, ref, useId, watch } from 'vue';

/**
 * A Mermaid diagram (a README's ```mermaid block), drawn in the browser by the Mermaid package
 * bundled with the site: no network, and loaded only by the pages that have a diagram. Until it
 * is drawn (and without JavaScript) the page shows the diagram's source.
 */
export const MermaidDiagram = defineComponent({
  name: 'MermaidDiagram',
  props: { graph: { type: String, required: true } },
  setup(props) {
    const { isDark } = useData();
    const id = `mermaid-${useId().replace(/[^\w-]/g, '')}`;
    const svg = ref('');
    const source = decodeURIComponent(props.graph);
    const draw = async () => {
      const { default: mermaid } = await import('mermaid');
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: isDark.value ? 'dark' : 'default' });
      svg.value = (await mermaid.render(id, source)).svg;
    };
    onMounted(draw);
    watch(isDark, draw);
    return () =>
      svg.value ? h('div', { class: 'mermaid', innerHTML: svg.value }) : h('pre', { class: 'mermaid-source' }, source);
  },
});
