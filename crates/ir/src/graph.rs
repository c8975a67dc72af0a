//! petgraph views of the IR: the data-dependence graph of a block, topological order and cycle
//! detection, for passes that reason about the network as a DAG (fusion, scheduling, FIFOs).

use crate::context::Context;
use crate::ids::{BlockId, OpId, ValueId};
use petgraph::Direction;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::collections::HashMap;

/// The ops of one block as nodes, with an edge `producer -> consumer` labelled by the value for
/// every use (uses inside a consumer's nested regions count as uses by the consumer).
pub struct BlockGraph {
    pub graph: DiGraph<OpId, ValueId>,
    pub node: HashMap<OpId, NodeIndex>,
}

impl BlockGraph {
    pub fn new(cx: &Context, block: BlockId) -> Self {
        let mut graph = DiGraph::new();
        let mut node = HashMap::new();
        for op in cx.block_ops(block) {
            node.insert(op, graph.add_node(op));
        }
        for op in cx.block_ops(block) {
            let consumer = node[&op];
            let mut add_uses = |cx: &Context, user: OpId| {
                for &v in cx.operands(user) {
                    if let Some(def) = cx.defining_op(v)
                        && let Some(&producer) = node.get(&def)
                        && producer != consumer
                    {
                        graph.add_edge(producer, consumer, v);
                    }
                }
            };
            cx.walk(op, &mut add_uses);
        }
        BlockGraph { graph, node }
    }

    /// Ops in an order where every producer precedes its consumers, disturbing program order
    /// as little as possible (Kahn's algorithm, earliest ready op first); `Err` names an op on
    /// a cycle.
    pub fn topological_order(&self) -> Result<Vec<OpId>, OpId> {
        let g = &self.graph;
        let mut indegree: Vec<usize> =
            g.node_indices().map(|n| g.edges_directed(n, Direction::Incoming).count()).collect();
        let mut ready: BinaryHeap<Reverse<usize>> =
            indegree.iter().enumerate().filter(|&(_, &d)| d == 0).map(|(i, _)| Reverse(i)).collect();
        let mut order = Vec::with_capacity(g.node_count());
        while let Some(Reverse(i)) = ready.pop() {
            let n = NodeIndex::new(i);
            order.push(g[n]);
            for e in g.edges_directed(n, Direction::Outgoing) {
                let t = e.target().index();
                indegree[t] -= 1;
                if indegree[t] == 0 {
                    ready.push(Reverse(t));
                }
            }
        }
        if order.len() < g.node_count() {
            let stuck = indegree.iter().position(|&d| d > 0).expect("a node on a cycle");
            return Err(g[NodeIndex::new(stuck)]);
        }
        Ok(order)
    }

    /// The ops of one cycle, if the graph has any (only possible in graph regions).
    pub fn find_cycle(&self) -> Option<Vec<OpId>> {
        tarjan_scc(&self.graph).into_iter().find_map(|scc| {
            let cyclic = scc.len() > 1 || self.graph.contains_edge(scc[0], scc[0]);
            cyclic.then(|| {
                let mut ops: Vec<OpId> = scc.into_iter().map(|n| self.graph[n]).collect();
                ops.sort();
                ops
            })
        })
    }
}

/// Reorders the ops of `block` so every value is defined before it is used. Returns whether
/// the order changed, or the op on a cycle if there is one.
pub fn sort_topologically(cx: &mut Context, block: BlockId) -> Result<bool, OpId> {
    let order = BlockGraph::new(cx, block).topological_order()?;
    let current: Vec<OpId> = cx.block_ops(block).collect();
    if order == current {
        return Ok(false);
    }
    for &op in &order {
        cx.detach_op(op);
        cx.append_op(block, op);
    }
    Ok(true)
}
