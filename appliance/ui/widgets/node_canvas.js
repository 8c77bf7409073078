// The node editor's canvas: Vue Flow draws the graph Python sends (prop `graph`) and proposes edits as
// events (add, connect, move, delete, select, undo, redo). It never changes the graph itself: Python
// validates each proposal, applies it and sends the new graph back.
import { VueFlow, Handle, Position, MarkerType, useVueFlow, Background, Controls, MiniMap, dagre, css } from "vueflow";
import { markRaw, shallowRef, toRaw } from "vue";

const KINDS = {
  content: { icon: "article", colour: "#1565c0", label: "Content" },
  decision: { icon: "call_split", colour: "#6a1b9a", label: "Decision" },
  fail: { icon: "report", colour: "#c62828", label: "Fail-state" },
  recovery: { icon: "healing", colour: "#2e7d32", label: "Recovery" },
  end: { icon: "flag", colour: "#424242", label: "End" },
};
const RATING_COLOURS = { best: "#2e7d32", acceptable: "#f9a825", unsafe: "#c62828" };

const WardNode = {
  components: { Handle },
  props: ["id", "data", "selected"],
  setup() {
    return { Position, KINDS, RATING_COLOURS };
  },
  template: `
    <div class="ward-node" :class="['ward-kind-' + data.kind, {'ward-has-problems': data.problems.length, 'ward-selected': selected}]"
         :data-kind="data.kind" :style="{borderColor: KINDS[data.kind].colour}">
      <Handle type="target" :position="Position.Left" id="in" />
      <div class="ward-node-head" :style="{background: KINDS[data.kind].colour}">
        <span class="material-icons ward-node-icon">{{ KINDS[data.kind].icon }}</span>
        <span class="ward-node-kind">{{ data.start ? 'Start · ' : '' }}{{ KINDS[data.kind].label }}</span>
        <span v-if="data.problems.length" class="ward-problem-badge" :title="data.problems.join('\\n')"
              :data-problems="data.problems.length">{{ data.problems.length }}</span>
      </div>
      <div class="ward-node-title">{{ data.title }}</div>
      <div v-if="data.kind === 'decision'" class="ward-choices">
        <div v-for="c in data.choices" :key="c.id" class="ward-choice-row" :data-choice="c.id">
          <span class="ward-rating" :style="{background: RATING_COLOURS[c.rating]}"></span>
          <span class="ward-choice-label">{{ c.label }}</span>
          <Handle type="source" :position="Position.Right" :id="c.id" class="ward-choice-handle" />
        </div>
      </div>
      <Handle v-else-if="data.kind !== 'end'" type="source" :position="Position.Right" id="out" />
    </div>`,
};

const STYLE = `
.ward-canvas { position: relative; width: 100%; height: 100%; }
.ward-node { background: #fff; border: 2px solid; border-radius: 8px; width: 220px; font-size: 13px; box-shadow: 0 1px 3px rgba(0,0,0,.2); }
.ward-node.ward-selected { box-shadow: 0 0 0 3px #1565c0; }
.ward-node.ward-has-problems { outline: 3px dashed #e65100; outline-offset: 2px; }
.ward-kind-fail { background: #ffebee; }
.ward-kind-recovery { background: #e8f5e9; }
.ward-node-head { color: #fff; display: flex; align-items: center; gap: 4px; padding: 2px 6px; border-radius: 5px 5px 0 0; }
.ward-node-icon { font-size: 16px; }
.ward-node-kind { flex: 1; font-weight: 500; }
.ward-problem-badge { background: #e65100; color: #fff; border-radius: 9px; padding: 0 7px; font-weight: 700; }
.ward-node-title { padding: 4px 8px; font-weight: 500; }
.ward-choices { border-top: 1px solid #ddd; }
.ward-choice-row { position: relative; display: flex; align-items: center; gap: 6px; padding: 3px 14px 3px 8px; }
.ward-rating { width: 10px; height: 10px; border-radius: 5px; flex: none; }
.ward-choice-label { flex: 1; }
.ward-choice-row .vue-flow__handle { top: 50%; }
.vue-flow__handle { width: 12px; height: 12px; }
.ward-palette { position: absolute; z-index: 5; top: 8px; left: 8px; display: flex; gap: 6px; flex-wrap: wrap; }
.ward-palette button { display: flex; align-items: center; gap: 4px; border: 2px solid; border-radius: 6px; background: #fff; padding: 4px 8px; cursor: grab; font-size: 14px; }
.ward-toolbar { position: absolute; z-index: 5; top: 8px; right: 8px; display: flex; gap: 6px; }
.ward-toolbar button { border: 1px solid #999; border-radius: 6px; background: #fff; padding: 4px 8px; cursor: pointer; font-size: 14px; }
.vue-flow__edge.ward-edge-fail path { stroke: #c62828; }
.vue-flow__edge.ward-edge-recovery path { stroke: #2e7d32; stroke-dasharray: 6 3; }
.vue-flow__edge.ward-edge-guarded path { stroke-dasharray: 4 3; }
`;

let styled = false;
const BIG_GRAPH = 60;

export default {
  components: { VueFlow, Background, Controls, MiniMap },
  props: { graph: Object, flowId: String },
  setup(props) {
    const flow = useVueFlow(props.flowId);
    // A big graph opens at a readable zoom on its start node, placed before the first draw so that only the
    // nodes in view are built (the canvas is about 55% of the window wide and 70% high).
    const graph = toRaw(props.graph) || {};
    const start = (graph.nodes || []).find((n) => n.data.start);
    let defaultViewport = { x: 0, y: 0, zoom: 1 };
    if ((graph.nodes || []).length > BIG_GRAPH && start) {
      const zoom = 0.8;
      defaultViewport = {
        x: window.innerWidth * 0.275 - (start.position.x + 300) * zoom,
        y: window.innerHeight * 0.35 - (start.position.y + 200) * zoom,
        zoom,
      };
    }
    // Plain (shallow) arrays: deep Vue reactivity over 300 nodes costs more than drawing them.
    return {
      flow, KINDS, defaultViewport, nodeTypes: { ward: markRaw(WardNode) }, nodes: shallowRef([]), edges: shallowRef([]),
    };
  },
  data() {
    return { fitted: false };
  },
  watch: {
    graph: {
      immediate: true,
      handler(graph) {
        const raw = toRaw(graph) || {};
        this.nodes = (raw.nodes || []).map((n) => ({ ...n, type: "ward" }));
        this.edges = (raw.edges || []).map((e) => ({ ...e, markerEnd: MarkerType.ArrowClosed }));
      },
    },
  },
  mounted() {
    if (!styled) {
      styled = true;
      const style = document.createElement("style");
      style.textContent = css + STYLE;
      document.head.append(style);
    }
    this.$el.addEventListener("keydown", this.onKey);
  },
  beforeUnmount() {
    this.$el.removeEventListener("keydown", this.onKey);
  },
  methods: {
    selected() {
      return {
        nodes: this.flow.getSelectedNodes.value.map((n) => n.id),
        edges: this.flow.getSelectedEdges.value.map((e) => e.id),
      };
    },
    onKey(event) {
      if (["INPUT", "TEXTAREA"].includes(event.target.tagName) || event.target.isContentEditable) return;
      const mod = event.ctrlKey || event.metaKey;
      if (event.key === "Delete" || event.key === "Backspace") {
        const chosen = this.selected();
        if (chosen.nodes.length || chosen.edges.length) this.$emit("delete", chosen);
        event.preventDefault();
      } else if (mod && event.key.toLowerCase() === "z") {
        this.$emit(event.shiftKey ? "redo" : "undo");
        event.preventDefault();
      } else if (mod && event.key.toLowerCase() === "y") {
        this.$emit("redo");
        event.preventDefault();
      }
    },
    onConnect(c) {
      this.$emit("connect", { source: c.source, target: c.target, choice: c.sourceHandle === "out" ? null : c.sourceHandle });
    },
    onDragStop(e) {
      const moved = (e.nodes && e.nodes.length ? e.nodes : [e.node]).map((n) => ({ id: n.id, x: n.position.x, y: n.position.y }));
      this.$emit("move", { nodes: moved });
    },
    onNodeClick(e) {
      this.$emit("select", { node: e.node.id });
    },
    onEdgeClick(e) {
      this.$emit("select", { edge: e.edge.id });
    },
    onInitialised() {
      if (this.fitted) return;
      this.fitted = true;
      this.$nextTick(() => this.openView());
    },
    onPaneClick() {
      this.$emit("select", {});
    },
    centre() {
      const box = this.$el.getBoundingClientRect();
      return this.flow.screenToFlowCoordinate({ x: box.left + box.width / 2 - 110, y: box.top + box.height / 2 - 40 });
    },
    add(kind, at) {
      const p = at || this.centre();
      this.$emit("add", { kind, x: p.x, y: p.y });
    },
    onDragStart(event, kind) {
      event.dataTransfer.setData("application/ward-kind", kind);
      event.dataTransfer.effectAllowed = "copy";
    },
    onDrop(event) {
      const kind = event.dataTransfer.getData("application/ward-kind");
      if (!kind) return;
      event.preventDefault();
      this.add(kind, this.flow.screenToFlowCoordinate({ x: event.clientX, y: event.clientY }));
    },
    openView() {
      // A big graph opens at a readable zoom on its start node (Fit and the minimap show the whole).
      if (this.nodes.length <= BIG_GRAPH) this.fit(); // a big graph is already framed (defaultViewport)
    },
    fit() {
      this.flow.fitView({ padding: 0.2, maxZoom: 1 });
    },
    focusNode(id) {
      const node = this.flow.findNode(id);
      if (node) this.flow.setCenter(node.position.x + 110, node.position.y + 40, { zoom: 1.2, duration: 300 });
    },
    layout() {
      const g = new dagre.graphlib.Graph();
      g.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 90 });
      g.setDefaultEdgeLabel(() => ({}));
      for (const n of this.flow.getNodes.value) {
        g.setNode(n.id, { width: n.dimensions?.width || 220, height: n.dimensions?.height || 80 });
      }
      for (const e of this.edges) g.setEdge(e.source, e.target);
      dagre.layout(g);
      const moved = g.nodes().map((id) => {
        const p = g.node(id);
        return { id, x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2) };
      });
      this.$emit("move", { nodes: moved, layout: true });
      setTimeout(() => this.fit(), 200);
    },
  },
  template: `
    <div class="ward-canvas" tabindex="0" @dragover.prevent @drop="onDrop">
      <div class="ward-palette" aria-label="Node palette">
        <button v-for="(k, kind) in KINDS" :key="kind" type="button" draggable="true" :data-palette="kind"
                :style="{borderColor: k.colour, color: k.colour}" :title="'Add a ' + k.label.toLowerCase() + ' node (or drag it onto the canvas)'"
                @dragstart="onDragStart($event, kind)" @click="add(kind)">
          <span class="material-icons" style="font-size:18px">{{ k.icon }}</span>{{ k.label }}
        </button>
      </div>
      <div class="ward-toolbar">
        <button type="button" data-tool="layout" @click="layout">Auto-layout</button>
        <button type="button" data-tool="fit" @click="fit">Fit</button>
      </div>
      <VueFlow :id="flowId" :nodes="nodes" :edges="edges" :node-types="nodeTypes" :delete-key-code="null"
               :min-zoom="0.02" :only-render-visible-elements="nodes.length > 60" :default-viewport="defaultViewport" :max-zoom="2" :connection-radius="30"
               :multi-selection-key-code="'Shift'" :default-edge-options="{type: 'smoothstep'}"
               @connect="onConnect" @node-drag-stop="onDragStop" @node-click="onNodeClick"
               @edge-click="onEdgeClick" @pane-click="onPaneClick" @nodes-initialized="onInitialised">
        <Background :gap="20" />
        <Controls :show-interactive="false" />
        <MiniMap pannable zoomable />
      </VueFlow>
    </div>`,
};
