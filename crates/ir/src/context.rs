//! The [`Context`]: arenas that own all operations, values, blocks, regions and interned types.
//!
//! Program order is an intrusive doubly linked list of ops per block (prev/next ids stored in the
//! op), so inserting and erasing anywhere is O(1). Erased entities are tombstoned, never reused,
//! which keeps stale ids detectable. Results of an op are allocated contiguously so an op only
//! stores the first result id and a count.

use crate::attrs::{AttrDict, Attribute};
use crate::dialect::{DialectRegistry, OpDef};
use crate::ids::{BlockId, OpId, OpNameId, RegionId, TypeId, ValueId};
use crate::location::{FileId, Location, SourceMap, SourcePos};
use crate::types::{Signedness, TypeData, preinterned};
use indexmap::IndexSet;
use std::sync::Arc;

/// A use of a value: operand `index` of operation `op`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Use {
    pub op: OpId,
    pub index: u32,
}

/// Where a value is defined.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum ValueDef {
    OpResult { op: OpId, index: u32 },
    BlockArg { block: BlockId, index: u32 },
}

#[derive(Clone, Debug)]
pub(crate) struct ValueData {
    pub(crate) ty: TypeId,
    pub(crate) def: ValueDef,
    pub(crate) uses: Vec<Use>,
}

#[derive(Clone, Debug)]
pub(crate) struct OpData {
    pub(crate) name: OpNameId,
    pub(crate) operands: Vec<ValueId>,
    pub(crate) first_result: u32,
    pub(crate) num_results: u32,
    pub(crate) attrs: AttrDict,
    pub(crate) regions: Vec<RegionId>,
    pub(crate) loc: Location,
    pub(crate) pos: Option<SourcePos>,
    pub(crate) parent: Option<BlockId>,
    pub(crate) prev: Option<OpId>,
    pub(crate) next: Option<OpId>,
    pub(crate) erased: bool,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct BlockData {
    pub(crate) args: Vec<ValueId>,
    pub(crate) parent: Option<RegionId>,
    pub(crate) first: Option<OpId>,
    pub(crate) last: Option<OpId>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct RegionData {
    pub(crate) blocks: Vec<BlockId>,
    pub(crate) parent: Option<OpId>,
}

/// Everything needed to create an operation.
#[derive(Clone, Debug)]
pub struct OperationState {
    pub name: OpNameId,
    pub operands: Vec<ValueId>,
    pub result_types: Vec<TypeId>,
    pub attrs: AttrDict,
    /// Detached regions (from [`Context::create_region`]) the op takes ownership of.
    pub regions: Vec<RegionId>,
    pub loc: Location,
}

impl OperationState {
    pub fn new(name: OpNameId) -> Self {
        OperationState {
            name,
            operands: Vec::new(),
            result_types: Vec::new(),
            attrs: AttrDict::default(),
            regions: Vec::new(),
            loc: Location::Unknown,
        }
    }

    pub fn operands(mut self, operands: impl IntoIterator<Item = ValueId>) -> Self {
        self.operands.extend(operands);
        self
    }

    pub fn results(mut self, types: impl IntoIterator<Item = TypeId>) -> Self {
        self.result_types.extend(types);
        self
    }

    pub fn attr(mut self, key: &str, value: Attribute) -> Self {
        self.attrs.insert(key.into(), value);
        self
    }

    pub fn regions(mut self, regions: impl IntoIterator<Item = RegionId>) -> Self {
        self.regions.extend(regions);
        self
    }

    pub fn loc(mut self, loc: Location) -> Self {
        self.loc = loc;
        self
    }
}

/// Owner of an IR: dialect registry, interned types and names, and the arenas.
pub struct Context {
    registry: Arc<DialectRegistry>,
    types: IndexSet<TypeData>,
    op_names: IndexSet<Arc<str>>,
    op_defs: Vec<Option<&'static OpDef>>,
    pub(crate) ops: Vec<OpData>,
    pub(crate) values: Vec<ValueData>,
    pub(crate) blocks: Vec<BlockData>,
    pub(crate) regions: Vec<RegionData>,
    live_ops: usize,
    allow_unregistered: bool,
    /// Texts the IR was parsed from, for diagnostics.
    pub sources: SourceMap,
}

impl Default for Context {
    /// A context that knows only the builtin dialect.
    fn default() -> Self {
        Context::new(Arc::new(DialectRegistry::new()))
    }
}

impl Context {
    pub fn new(registry: Arc<DialectRegistry>) -> Self {
        let mut cx = Context {
            registry,
            types: IndexSet::new(),
            op_names: IndexSet::new(),
            op_defs: Vec::new(),
            ops: Vec::new(),
            values: Vec::new(),
            blocks: Vec::new(),
            regions: Vec::new(),
            live_ops: 0,
            allow_unregistered: false,
            sources: SourceMap::default(),
        };
        for t in preinterned() {
            cx.intern_type(t);
        }
        cx
    }

    pub fn registry(&self) -> &Arc<DialectRegistry> {
        &self.registry
    }

    /// Whether ops, types and attributes of dialects the registry does not know are accepted
    /// (by the parser and the verifier), as with mlir-opt's `--allow-unregistered-dialect`.
    pub fn allows_unregistered(&self) -> bool {
        self.allow_unregistered
    }

    pub fn set_allow_unregistered(&mut self, allow: bool) {
        self.allow_unregistered = allow;
    }

    // ----- types -------------------------------------------------------------------------

    pub fn intern_type(&mut self, data: TypeData) -> TypeId {
        if let Some(i) = self.types.get_index_of(&data) {
            return TypeId::from_index(i);
        }
        TypeId::from_index(self.types.insert_full(data).0)
    }

    pub fn type_data(&self, ty: TypeId) -> &TypeData {
        &self.types[ty.index()]
    }

    /// `tensor<shape x elem>`.
    pub fn tensor_type(&mut self, shape: &[i64], elem: TypeId) -> TypeId {
        self.intern_type(TypeData::Tensor { shape: shape.to_vec(), elem })
    }

    /// `(inputs) -> results`.
    pub fn function_type(&mut self, inputs: &[TypeId], results: &[TypeId]) -> TypeId {
        self.intern_type(TypeData::Function { inputs: inputs.to_vec(), results: results.to_vec() })
    }

    /// Signless `iN`.
    pub fn integer_type(&mut self, width: u32) -> TypeId {
        self.intern_type(TypeData::Integer { width, signedness: Signedness::Signless })
    }

    /// Shape and element type if `ty` is a tensor.
    pub fn tensor_shape(&self, ty: TypeId) -> Option<(&[i64], TypeId)> {
        match self.type_data(ty) {
            TypeData::Tensor { shape, elem } => Some((shape, *elem)),
            _ => None,
        }
    }

    /// The element type of a tensor, or the type itself for scalars.
    pub fn element_type(&self, ty: TypeId) -> TypeId {
        self.tensor_shape(ty).map_or(ty, |(_, e)| e)
    }

    // ----- op names ----------------------------------------------------------------------

    /// Interns an op name (`dialect.op`), resolving it against the registry once.
    pub fn op_name(&mut self, name: &str) -> OpNameId {
        if let Some(i) = self.op_names.get_index_of(name) {
            return OpNameId::from_index(i);
        }
        let def = self.registry.op(name);
        let (i, _) = self.op_names.insert_full(name.into());
        self.op_defs.push(def);
        OpNameId::from_index(i)
    }

    pub fn op_name_str(&self, name: OpNameId) -> &str {
        &self.op_names[name.index()]
    }

    /// The registered definition behind an interned name, if its dialect knows it.
    pub fn op_name_def(&self, name: OpNameId) -> Option<&'static OpDef> {
        self.op_defs[name.index()]
    }

    // ----- creation ----------------------------------------------------------------------

    /// Creates a detached operation; insert it with [`Context::append_op`] and friends.
    pub fn create_op(&mut self, state: OperationState) -> OpId {
        let id = OpId::from_index(self.ops.len());
        let first_result = self.values.len() as u32;
        for (index, &ty) in state.result_types.iter().enumerate() {
            self.values.push(ValueData {
                ty,
                def: ValueDef::OpResult { op: id, index: index as u32 },
                uses: Vec::new(),
            });
        }
        for (index, &v) in state.operands.iter().enumerate() {
            self.values[v.index()].uses.push(Use { op: id, index: index as u32 });
        }
        for &r in &state.regions {
            debug_assert!(self.regions[r.index()].parent.is_none(), "region already owned");
            self.regions[r.index()].parent = Some(id);
        }
        self.ops.push(OpData {
            name: state.name,
            operands: state.operands,
            first_result,
            num_results: state.result_types.len() as u32,
            attrs: state.attrs,
            regions: state.regions,
            loc: state.loc,
            pos: None,
            parent: None,
            prev: None,
            next: None,
            erased: false,
        });
        self.live_ops += 1;
        id
    }

    /// A detached, empty region.
    pub fn create_region(&mut self) -> RegionId {
        self.regions.push(RegionData::default());
        RegionId::from_index(self.regions.len() - 1)
    }

    /// A detached block with arguments of the given types.
    pub fn create_block(&mut self, arg_types: &[TypeId]) -> BlockId {
        let id = BlockId::from_index(self.blocks.len());
        self.blocks.push(BlockData::default());
        for &ty in arg_types {
            self.add_block_arg(id, ty);
        }
        id
    }

    pub fn add_block_arg(&mut self, block: BlockId, ty: TypeId) -> ValueId {
        let index = self.blocks[block.index()].args.len() as u32;
        let v = ValueId::from_index(self.values.len());
        self.values.push(ValueData { ty, def: ValueDef::BlockArg { block, index }, uses: Vec::new() });
        self.blocks[block.index()].args.push(v);
        v
    }

    /// Appends a detached block to a region.
    pub fn append_block(&mut self, region: RegionId, block: BlockId) {
        debug_assert!(self.blocks[block.index()].parent.is_none(), "block already in a region");
        self.blocks[block.index()].parent = Some(region);
        self.regions[region.index()].blocks.push(block);
    }

    // ----- program order -----------------------------------------------------------------

    /// Appends a detached op at the end of `block`.
    pub fn append_op(&mut self, block: BlockId, op: OpId) {
        let last = self.blocks[block.index()].last;
        self.link(op, block, last, None);
    }

    /// Inserts a detached op right before `anchor`.
    pub fn insert_op_before(&mut self, anchor: OpId, op: OpId) {
        let a = &self.ops[anchor.index()];
        let block = a.parent.expect("anchor op is not in a block");
        let prev = a.prev;
        self.link(op, block, prev, Some(anchor));
    }

    /// Inserts a detached op right after `anchor`.
    pub fn insert_op_after(&mut self, anchor: OpId, op: OpId) {
        let a = &self.ops[anchor.index()];
        let block = a.parent.expect("anchor op is not in a block");
        let next = a.next;
        self.link(op, block, Some(anchor), next);
    }

    fn link(&mut self, op: OpId, block: BlockId, prev: Option<OpId>, next: Option<OpId>) {
        debug_assert!(self.ops[op.index()].parent.is_none(), "op is already in a block");
        let o = &mut self.ops[op.index()];
        o.parent = Some(block);
        o.prev = prev;
        o.next = next;
        match prev {
            Some(p) => self.ops[p.index()].next = Some(op),
            None => self.blocks[block.index()].first = Some(op),
        }
        match next {
            Some(n) => self.ops[n.index()].prev = Some(op),
            None => self.blocks[block.index()].last = Some(op),
        }
    }

    /// Removes an op from its block without destroying it (it can be inserted elsewhere).
    pub fn detach_op(&mut self, op: OpId) {
        let Some(block) = self.ops[op.index()].parent else {
            return;
        };
        let (prev, next) = (self.ops[op.index()].prev, self.ops[op.index()].next);
        match prev {
            Some(p) => self.ops[p.index()].next = next,
            None => self.blocks[block.index()].first = next,
        }
        match next {
            Some(n) => self.ops[n.index()].prev = prev,
            None => self.blocks[block.index()].last = prev,
        }
        let o = &mut self.ops[op.index()];
        o.parent = None;
        o.prev = None;
        o.next = None;
    }

    /// Moves `op` (attached or not) right before `anchor`.
    pub fn move_op_before(&mut self, op: OpId, anchor: OpId) {
        self.detach_op(op);
        self.insert_op_before(anchor, op);
    }

    /// Destroys an op and everything nested in it. Its results must have no uses left
    /// (replace them first); using a result afterwards is a bug the verifier reports.
    pub fn erase_op(&mut self, op: OpId) {
        assert!(!self.ops[op.index()].erased, "op erased twice");
        for r in self.results(op) {
            assert!(
                self.values[r.index()].uses.is_empty(),
                "erasing `{}` whose result still has uses",
                self.op_name_str(self.ops[op.index()].name)
            );
        }
        self.detach_op(op);
        self.erase_op_unchecked(op);
    }

    fn erase_op_unchecked(&mut self, op: OpId) {
        let operands = std::mem::take(&mut self.ops[op.index()].operands);
        for (index, v) in operands.into_iter().enumerate() {
            self.remove_use(v, Use { op, index: index as u32 });
        }
        for r in std::mem::take(&mut self.ops[op.index()].regions) {
            for b in std::mem::take(&mut self.regions[r.index()].blocks) {
                // Erase back to front so uses inside the region disappear before their defs.
                let mut cur = self.blocks[b.index()].last;
                while let Some(o) = cur {
                    cur = self.ops[o.index()].prev;
                    self.erase_op_unchecked(o);
                }
                let blk = &mut self.blocks[b.index()];
                blk.first = None;
                blk.last = None;
            }
        }
        self.ops[op.index()].erased = true;
        self.live_ops -= 1;
    }

    // ----- use-def -----------------------------------------------------------------------

    fn remove_use(&mut self, v: ValueId, u: Use) {
        let uses = &mut self.values[v.index()].uses;
        if let Some(i) = uses.iter().position(|x| *x == u) {
            uses.swap_remove(i);
        }
    }

    /// Sets operand `index` of `op` to `v`, keeping use lists consistent.
    pub fn set_operand(&mut self, op: OpId, index: usize, v: ValueId) {
        let old = self.ops[op.index()].operands[index];
        if old == v {
            return;
        }
        let u = Use { op, index: index as u32 };
        self.remove_use(old, u);
        self.ops[op.index()].operands[index] = v;
        self.values[v.index()].uses.push(u);
    }

    /// Replaces every use of `from` with `to`.
    pub fn replace_all_uses(&mut self, from: ValueId, to: ValueId) {
        if from == to {
            return;
        }
        let uses = std::mem::take(&mut self.values[from.index()].uses);
        for u in &uses {
            self.ops[u.op.index()].operands[u.index as usize] = to;
        }
        self.values[to.index()].uses.extend(uses);
    }

    /// Replaces the uses of `from` for which `keep_old` is false with `to`.
    pub fn replace_uses_except(&mut self, from: ValueId, to: ValueId, keep_old: impl Fn(Use) -> bool) {
        let uses = std::mem::take(&mut self.values[from.index()].uses);
        let (kept, moved): (Vec<Use>, Vec<Use>) = uses.into_iter().partition(|u| keep_old(*u));
        for u in &moved {
            self.ops[u.op.index()].operands[u.index as usize] = to;
        }
        self.values[from.index()].uses = kept;
        self.values[to.index()].uses.extend(moved);
    }

    /// Replaces all uses of `op`'s results with `values` (one per result), then erases `op`.
    pub fn replace_op(&mut self, op: OpId, values: &[ValueId]) {
        assert_eq!(values.len(), self.num_results(op), "replace_op: one value per result");
        for (r, &v) in self.results(op).zip(values) {
            self.replace_all_uses(r, v);
        }
        self.erase_op(op);
    }

    pub fn uses(&self, v: ValueId) -> &[Use] {
        &self.values[v.index()].uses
    }

    pub fn has_uses(&self, v: ValueId) -> bool {
        !self.values[v.index()].uses.is_empty()
    }

    pub fn value_type(&self, v: ValueId) -> TypeId {
        self.values[v.index()].ty
    }

    /// Changes a value's type in place (for passes that refine types, e.g. shape inference).
    pub fn set_value_type(&mut self, v: ValueId, ty: TypeId) {
        self.values[v.index()].ty = ty;
    }

    pub fn value_def(&self, v: ValueId) -> ValueDef {
        self.values[v.index()].def
    }

    /// The op producing `v`, or `None` for a block argument.
    pub fn defining_op(&self, v: ValueId) -> Option<OpId> {
        match self.value_def(v) {
            ValueDef::OpResult { op, .. } => Some(op),
            ValueDef::BlockArg { .. } => None,
        }
    }

    /// The block in which `v` is defined (its op's block, or the block it is an argument of).
    pub fn value_block(&self, v: ValueId) -> Option<BlockId> {
        match self.value_def(v) {
            ValueDef::OpResult { op, .. } => self.ops[op.index()].parent,
            ValueDef::BlockArg { block, .. } => Some(block),
        }
    }

    // ----- op queries --------------------------------------------------------------------

    pub fn name(&self, op: OpId) -> &str {
        self.op_name_str(self.ops[op.index()].name)
    }

    pub fn name_id(&self, op: OpId) -> OpNameId {
        self.ops[op.index()].name
    }

    /// Whether `op` is named `name`.
    pub fn is(&self, op: OpId, name: &str) -> bool {
        self.name(op) == name
    }

    pub fn op_def(&self, op: OpId) -> Option<&'static OpDef> {
        self.op_defs[self.ops[op.index()].name.index()]
    }

    pub fn operands(&self, op: OpId) -> &[ValueId] {
        &self.ops[op.index()].operands
    }

    pub fn operand(&self, op: OpId, index: usize) -> ValueId {
        self.ops[op.index()].operands[index]
    }

    pub fn num_results(&self, op: OpId) -> usize {
        self.ops[op.index()].num_results as usize
    }

    /// The op's results, in order.
    pub fn results(&self, op: OpId) -> impl ExactSizeIterator<Item = ValueId> + use<> {
        let o = &self.ops[op.index()];
        (o.first_result..o.first_result + o.num_results).map(|i| ValueId::from_index(i as usize))
    }

    pub fn result(&self, op: OpId, index: usize) -> ValueId {
        let o = &self.ops[op.index()];
        assert!(index < o.num_results as usize, "result index out of range");
        ValueId::from_index(o.first_result as usize + index)
    }

    pub fn attrs(&self, op: OpId) -> &AttrDict {
        &self.ops[op.index()].attrs
    }

    pub fn attr(&self, op: OpId, key: &str) -> Option<&Attribute> {
        self.ops[op.index()].attrs.get(key)
    }

    pub fn set_attr(&mut self, op: OpId, key: &str, value: Attribute) {
        let attrs = &mut self.ops[op.index()].attrs;
        match attrs.get_mut(key) {
            Some(slot) => *slot = value,
            None => {
                attrs.insert(key.into(), value);
            }
        }
    }

    pub fn remove_attr(&mut self, op: OpId, key: &str) -> Option<Attribute> {
        self.ops[op.index()].attrs.shift_remove(key)
    }

    pub fn regions(&self, op: OpId) -> &[RegionId] {
        &self.ops[op.index()].regions
    }

    pub fn loc(&self, op: OpId) -> &Location {
        &self.ops[op.index()].loc
    }

    pub fn set_loc(&mut self, op: OpId, loc: Location) {
        self.ops[op.index()].loc = loc;
    }

    /// Where the op stood in the IR text it was parsed from, if it was parsed.
    pub fn source_pos(&self, op: OpId) -> Option<SourcePos> {
        self.ops[op.index()].pos
    }

    pub fn set_source_pos(&mut self, op: OpId, pos: Option<SourcePos>) {
        self.ops[op.index()].pos = pos;
    }

    /// Registers parsed text for diagnostics.
    pub fn add_source(&mut self, name: &str, text: impl Into<Arc<str>>) -> FileId {
        self.sources.add(name, text)
    }

    pub fn is_erased(&self, op: OpId) -> bool {
        self.ops[op.index()].erased
    }

    pub fn parent_block(&self, op: OpId) -> Option<BlockId> {
        self.ops[op.index()].parent
    }

    /// The op whose region contains `op`.
    pub fn parent_op(&self, op: OpId) -> Option<OpId> {
        self.block_parent_op(self.parent_block(op)?)
    }

    pub fn next_op(&self, op: OpId) -> Option<OpId> {
        self.ops[op.index()].next
    }

    pub fn prev_op(&self, op: OpId) -> Option<OpId> {
        self.ops[op.index()].prev
    }

    /// Whether `ancestor` is `op` or contains it in one of its regions (transitively).
    pub fn is_ancestor(&self, ancestor: OpId, mut op: OpId) -> bool {
        loop {
            if op == ancestor {
                return true;
            }
            match self.parent_op(op) {
                Some(p) => op = p,
                None => return false,
            }
        }
    }

    /// Number of live (not erased) operations.
    pub fn num_live_ops(&self) -> usize {
        self.live_ops
    }

    // ----- blocks and regions ------------------------------------------------------------

    pub fn region_blocks(&self, region: RegionId) -> &[BlockId] {
        &self.regions[region.index()].blocks
    }

    pub fn region_parent(&self, region: RegionId) -> Option<OpId> {
        self.regions[region.index()].parent
    }

    pub fn block_args(&self, block: BlockId) -> &[ValueId] {
        &self.blocks[block.index()].args
    }

    pub fn block_region(&self, block: BlockId) -> Option<RegionId> {
        self.blocks[block.index()].parent
    }

    pub fn block_parent_op(&self, block: BlockId) -> Option<OpId> {
        self.region_parent(self.block_region(block)?)
    }

    pub fn block_first(&self, block: BlockId) -> Option<OpId> {
        self.blocks[block.index()].first
    }

    pub fn block_last(&self, block: BlockId) -> Option<OpId> {
        self.blocks[block.index()].last
    }

    /// The ops of a block in program order.
    pub fn block_ops(&self, block: BlockId) -> BlockOps<'_> {
        BlockOps { cx: self, next: self.blocks[block.index()].first }
    }

    /// The entry block of region `index` of `op` (the usual way to reach an op's body).
    pub fn body(&self, op: OpId, index: usize) -> Option<BlockId> {
        self.region_blocks(*self.regions(op).get(index)?).first().copied()
    }

    /// Every op nested in `root` (not `root` itself), parents before children, in program order.
    pub fn nested_ops(&self, root: OpId) -> Vec<OpId> {
        let mut out = Vec::new();
        self.walk(root, &mut |_, op| out.push(op));
        out.retain(|&o| o != root);
        out
    }

    /// Calls `f` on `root` and every op nested in it, pre-order.
    pub fn walk(&self, root: OpId, f: &mut impl FnMut(&Context, OpId)) {
        f(self, root);
        for &r in self.regions(root) {
            for &b in self.region_blocks(r) {
                for op in self.block_ops(b) {
                    self.walk(op, f);
                }
            }
        }
    }
}

/// Iterator over the ops of a block, in order.
pub struct BlockOps<'a> {
    cx: &'a Context,
    next: Option<OpId>,
}

impl Iterator for BlockOps<'_> {
    type Item = OpId;

    fn next(&mut self) -> Option<OpId> {
        let cur = self.next?;
        self.next = self.cx.ops[cur.index()].next;
        Some(cur)
    }
}
