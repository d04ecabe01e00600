//! Merges the files the splitter cut for one split module (the module and every
//! chunk it shares with other modules) into one wasm module.
//!
//! The splitter leaves a page's code in dozens of small files, each a wasm module
//! of its own: each repeats its header, types and imports, registers its
//! functions in the shared table, and calls a function of another file through
//! that table (a shim: `call_indirect` with the function's slot). Merged, a page
//! is one module: one type and import section, and a call to a function of the
//! same page is a direct call again, which the optimiser can inline and whose
//! shim it drops. About 8% of a page's download, before wasm-opt gets to it.
//!
//! A chunk shared by two pages is then in both pages' modules, and is
//! instantiated once per page rather than once. That is safe for what a chunk
//! holds: its functions (two equal copies in the same table slot), its read-only
//! data (written again with the same bytes) and zeroed statics (`.bss`: the
//! memory is zero already, so they are left out). Statics with an initial value
//! (`.data`) must be written once only, or the second page would reset them:
//! they go into a module of their own per chunk, which every page that needs it
//! names and the loader instantiates once ([`Merged::once`]).

use std::collections::HashMap;
use wasm_encoder::{
    CodeSection, DataCountSection, DataSection, ElementSection, EntityType, FunctionSection,
    ImportSection, Module, NameMap, NameSection, TypeSection,
    reencode::{self, Reencode},
};
use wasmparser::{
    Data, DataKind, Element, ElementItems, ElementKind, FunctionBody, KnownCustom, Name, Operator,
    Parser, Payload, TypeRef, ValType,
};

type Error = String;

fn err(e: impl std::fmt::Display) -> Error {
    e.to_string()
}

/// One file of the splitter, read.
struct Part<'a> {
    file: String,
    /// Function types, by the file's type index.
    types: Vec<(Vec<ValType>, Vec<ValType>)>,
    imports: Vec<wasmparser::Import<'a>>,
    /// The type of each function the file defines.
    funcs: Vec<u32>,
    bodies: Vec<FunctionBody<'a>>,
    elements: Vec<Element<'a>>,
    data: Vec<Data<'a>>,
    func_names: HashMap<u32, &'a str>,
    data_names: HashMap<u32, &'a str>,
}

impl<'a> Part<'a> {
    fn read(file: String, wasm: &'a [u8]) -> Result<Self, Error> {
        let mut part = Part {
            file,
            types: Vec::new(),
            imports: Vec::new(),
            funcs: Vec::new(),
            bodies: Vec::new(),
            elements: Vec::new(),
            data: Vec::new(),
            func_names: HashMap::new(),
            data_names: HashMap::new(),
        };
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.map_err(err)? {
                Payload::Version { .. } | Payload::End(_) | Payload::DataCountSection { .. } => {}
                Payload::TypeSection(s) => {
                    for ty in s.into_iter_err_on_gc_types() {
                        let ty = ty.map_err(err)?;
                        part.types
                            .push((ty.params().to_vec(), ty.results().to_vec()));
                    }
                }
                Payload::ImportSection(s) => {
                    for import in s.into_imports() {
                        part.imports.push(import.map_err(err)?);
                    }
                }
                Payload::FunctionSection(s) => {
                    for f in s {
                        part.funcs.push(f.map_err(err)?);
                    }
                }
                Payload::ExportSection(s) => {
                    if s.count() > 0 {
                        return Err(format!("{}: unexpected exports", part.file));
                    }
                }
                Payload::ElementSection(s) => {
                    for e in s {
                        part.elements.push(e.map_err(err)?);
                    }
                }
                Payload::DataSection(s) => {
                    for d in s {
                        part.data.push(d.map_err(err)?);
                    }
                }
                Payload::CodeSectionStart { .. } => {}
                Payload::CodeSectionEntry(body) => part.bodies.push(body),
                Payload::CustomSection(c) => {
                    if let KnownCustom::Name(names) = c.as_known() {
                        for name in names {
                            match name.map_err(err)? {
                                Name::Function(map) => read_names(map, &mut part.func_names)?,
                                Name::Data(map) => read_names(map, &mut part.data_names)?,
                                _ => {}
                            }
                        }
                    }
                }
                other => {
                    return Err(format!(
                        "{}: unexpected section {:?}",
                        part.file,
                        other.as_section()
                    ));
                }
            }
        }
        if part.funcs.len() != part.bodies.len() {
            return Err(format!("{}: functions and bodies differ", part.file));
        }
        Ok(part)
    }
}

fn read_names<'a>(
    map: wasmparser::NameMap<'a>,
    into: &mut HashMap<u32, &'a str>,
) -> Result<(), Error> {
    for naming in map {
        let naming = naming.map_err(err)?;
        into.insert(naming.index, naming.name);
    }
    Ok(())
}

/// What to do with a data segment, by the name the linker gave it.
#[derive(PartialEq)]
enum Kind {
    /// Constants: may be written again with the same bytes.
    ReadOnly,
    /// Zeroed statics (and empty segments): memory starts zeroed, so nothing
    /// to write.
    Zeroed,
    /// Statics with an initial value: written exactly once.
    Initialised,
}

fn kind(part: &Part, index: u32, data: &Data) -> Result<Kind, Error> {
    if data.data.is_empty() {
        return Ok(Kind::Zeroed);
    }
    let name = part
        .data_names
        .get(&index)
        .ok_or_else(|| format!("{}: data segment {index} has no name", part.file))?;
    Ok(if name.starts_with(".rodata") {
        Kind::ReadOnly
    } else if name.starts_with(".bss") || name.starts_with(".tbss") {
        if data.data.iter().any(|b| *b != 0) {
            return Err(format!("{}: {name} is not zero", part.file));
        }
        Kind::Zeroed
    } else {
        Kind::Initialised
    })
}

/// The merged module of one split module, and the modules of initialised
/// statics it needs (by their file names).
pub struct Merged {
    pub wasm: Vec<u8>,
    /// For each file holding initialised statics: a name to share it by (the
    /// splitter's file), and the module that writes them.
    pub once: Vec<(String, Vec<u8>)>,
}

/// The table slot a shim calls through, if `body` is one: it passes its
/// parameters on, in order, to `call_indirect` of a constant slot.
fn shim_slot(body: &FunctionBody, params: usize) -> Result<Option<(u32, u32)>, Error> {
    if body.get_locals_reader().map_err(err)?.get_count() != 0 {
        return Ok(None);
    }
    let mut ops = body.get_operators_reader().map_err(err)?;
    for i in 0..params {
        match ops.read().map_err(err)? {
            Operator::LocalGet { local_index } if local_index as usize == i => {}
            _ => return Ok(None),
        }
    }
    let Operator::I32Const { value: slot } = ops.read().map_err(err)? else {
        return Ok(None);
    };
    let Operator::CallIndirect {
        type_index,
        table_index: 0,
    } = ops.read().map_err(err)?
    else {
        return Ok(None);
    };
    let Operator::End = ops.read().map_err(err)? else {
        return Ok(None);
    };
    if !ops.eof() {
        return Ok(None);
    }
    Ok(u32::try_from(slot).ok().map(|s| (s, type_index)))
}

/// The constant an `i32.const` offset expression holds.
fn const_offset(expr: &wasmparser::ConstExpr) -> Result<u32, Error> {
    let mut ops = expr.get_operators_reader();
    match (ops.read().map_err(err)?, ops.read().map_err(err)?) {
        (Operator::I32Const { value }, Operator::End) => u32::try_from(value).map_err(err),
        _ => Err("an offset that is not a constant".to_owned()),
    }
}

/// Index spaces of one part in the merged module.
struct Remap<'m> {
    types: Vec<u32>,
    globals: Vec<u32>,
    func_base: u32,
    elem_base: u32,
    redirect: &'m HashMap<u32, u32>,
}

impl Reencode for Remap<'_> {
    type Error = Error;

    fn type_index(&mut self, ty: u32) -> Result<u32, reencode::Error<Error>> {
        self.types
            .get(ty as usize)
            .copied()
            .ok_or(reencode::Error::UserError(format!("type {ty}")))
    }
    fn function_index(&mut self, f: u32) -> Result<u32, reencode::Error<Error>> {
        let merged = self.func_base + f;
        Ok(self.redirect.get(&merged).copied().unwrap_or(merged))
    }
    fn global_index(&mut self, g: u32) -> Result<u32, reencode::Error<Error>> {
        self.globals
            .get(g as usize)
            .copied()
            .ok_or(reencode::Error::UserError(format!("global {g}")))
    }
    fn element_index(&mut self, e: u32) -> Result<u32, reencode::Error<Error>> {
        Ok(self.elem_base + e)
    }
    fn data_index(&mut self, _: u32) -> Result<u32, reencode::Error<Error>> {
        // Code that names data segments (memory.init, data.drop) would need them
        // kept in order; the linker's output for this target has none.
        Err(reencode::Error::UserError(
            "code refers to a data segment".to_owned(),
        ))
    }
    fn table_index(&mut self, t: u32) -> Result<u32, reencode::Error<Error>> {
        if t == 0 {
            Ok(0)
        } else {
            Err(reencode::Error::UserError(format!("table {t}")))
        }
    }
    fn memory_index(&mut self, m: u32) -> Result<u32, reencode::Error<Error>> {
        if m == 0 {
            Ok(0)
        } else {
            Err(reencode::Error::UserError(format!("memory {m}")))
        }
    }
}

fn re(e: reencode::Error<Error>) -> Error {
    match e {
        reencode::Error::UserError(e) => e,
        other => other.to_string(),
    }
}

/// One import of the merged module: the first file's, with the largest minimum
/// of a table or memory any file asks for.
struct MergedImport<'a> {
    module: &'a str,
    name: &'a str,
    ty: TypeRef,
}

/// Merges `parts` (file name, contents), in the splitter's load order. The
/// initialised statics of a part that `shared` says other modules have too go
/// into a module of their own.
pub fn merge(parts: &[(String, Vec<u8>)], shared: impl Fn(&str) -> bool) -> Result<Merged, Error> {
    let parts: Vec<Part> = parts
        .iter()
        .map(|(file, wasm)| Part::read(file.clone(), wasm))
        .collect::<Result<_, _>>()?;

    // Types, deduplicated.
    let mut types: Vec<(Vec<ValType>, Vec<ValType>)> = Vec::new();
    let mut type_of: HashMap<(Vec<ValType>, Vec<ValType>), u32> = HashMap::new();
    let mut intern = |t: &(Vec<ValType>, Vec<ValType>)| -> u32 {
        *type_of.entry(t.clone()).or_insert_with(|| {
            types.push(t.clone());
            (types.len() - 1) as u32
        })
    };
    let part_types: Vec<Vec<u32>> = parts
        .iter()
        .map(|p| p.types.iter().map(&mut intern).collect())
        .collect();

    // Imports, deduplicated by name: the memory, the table and the globals (the
    // stack pointer and the like) of the main module.
    let mut imports: Vec<MergedImport> = Vec::new();
    let mut part_globals: Vec<Vec<u32>> = Vec::new();
    for p in &parts {
        let mut globals = Vec::new();
        for i in &p.imports {
            let at = imports
                .iter()
                .position(|m| m.module == i.module && m.name == i.name);
            let at = match at {
                Some(at) => at,
                None => {
                    imports.push(MergedImport {
                        module: i.module,
                        name: i.name,
                        ty: i.ty,
                    });
                    imports.len() - 1
                }
            };
            match (&mut imports[at].ty, i.ty) {
                (TypeRef::Memory(m), TypeRef::Memory(n)) => m.initial = m.initial.max(n.initial),
                (TypeRef::Table(t), TypeRef::Table(u)) => t.initial = t.initial.max(u.initial),
                (TypeRef::Global(g), TypeRef::Global(h)) if *g == h => {}
                _ => {
                    return Err(format!(
                        "{}: import {} differs or is a function",
                        p.file, i.name
                    ));
                }
            }
            if let TypeRef::Global(_) = i.ty {
                let index = imports[..=at]
                    .iter()
                    .filter(|m| matches!(m.ty, TypeRef::Global(_)))
                    .count()
                    - 1;
                globals.push(index as u32);
            }
        }
        part_globals.push(globals);
    }
    // A global added later goes after those seen earlier, so indices given out
    // above hold.

    // Functions are numbered part after part (no file imports a function).
    let mut func_base = Vec::new();
    let mut n = 0u32;
    for p in &parts {
        func_base.push(n);
        n += p.funcs.len() as u32;
    }

    // Which merged function each table slot filled here holds, and the shims
    // calling a slot filled here: those calls go to the function directly.
    let mut slot_of: HashMap<u32, u32> = HashMap::new();
    for (pi, p) in parts.iter().enumerate() {
        for e in &p.elements {
            let ElementKind::Active {
                table_index: None | Some(0),
                offset_expr,
            } = &e.kind
            else {
                return Err(format!("{}: an element segment that is not active", p.file));
            };
            let ElementItems::Functions(funcs) = e.items.clone() else {
                return Err(format!("{}: an element segment of expressions", p.file));
            };
            let base = const_offset(offset_expr)?;
            for (i, f) in funcs.into_iter().enumerate() {
                slot_of.insert(base + i as u32, func_base[pi] + f.map_err(err)?);
            }
        }
    }
    let merged_type = |pi: usize, f: u32| part_types[pi][parts[pi].funcs[f as usize] as usize];
    let mut type_of_func: Vec<u32> = Vec::new();
    for (pi, p) in parts.iter().enumerate() {
        for f in 0..p.funcs.len() as u32 {
            type_of_func.push(merged_type(pi, f));
        }
    }
    let mut redirect: HashMap<u32, u32> = HashMap::new();
    for (pi, p) in parts.iter().enumerate() {
        for (f, body) in p.bodies.iter().enumerate() {
            let ty = merged_type(pi, f as u32);
            let params = types[ty as usize].0.len();
            if let Some((slot, call_ty)) = shim_slot(body, params)?
                && let Some(&target) = slot_of.get(&slot)
                && part_types[pi][call_ty as usize] == ty
                && type_of_func[target as usize] == ty
            {
                redirect.insert(func_base[pi] + f as u32, target);
            }
        }
    }
    // A shim may lead to another shim.
    let resolved: HashMap<u32, u32> = redirect
        .keys()
        .map(|&from| {
            let mut to = redirect[&from];
            let mut hops = 0;
            while let Some(&next) = redirect.get(&to) {
                to = next;
                hops += 1;
                if hops > redirect.len() {
                    break;
                }
            }
            (from, to)
        })
        .collect();

    // The merged module.
    let mut type_section = TypeSection::new();
    for (params, results) in &types {
        let mut r = reencode::RoundtripReencoder;
        let params: Vec<_> = params
            .iter()
            .map(|t| r.val_type(*t))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        let results: Vec<_> = results
            .iter()
            .map(|t| r.val_type(*t))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        type_section.ty().function(params, results);
    }
    let mut import_section = ImportSection::new();
    for i in &imports {
        let ty: EntityType = reencode::RoundtripReencoder
            .entity_type(i.ty)
            .map_err(|e| e.to_string())?;
        import_section.import(i.module, i.name, ty);
    }
    let mut functions = FunctionSection::new();
    let mut code = CodeSection::new();
    let mut elements = ElementSection::new();
    let mut data = DataSection::new();
    let mut data_count = 0u32;
    let mut once = Vec::new();
    let mut names = NameMap::new();
    let mut elem_base = 0u32;
    for (pi, p) in parts.iter().enumerate() {
        let mut remap = Remap {
            types: part_types[pi].clone(),
            globals: part_globals[pi].clone(),
            func_base: func_base[pi],
            elem_base,
            redirect: &resolved,
        };
        for (f, ty) in p.funcs.iter().enumerate() {
            functions.function(remap.type_index(*ty).map_err(re)?);
            if let Some(name) = p.func_names.get(&(f as u32)) {
                names.append(func_base[pi] + f as u32, name);
            }
        }
        for body in &p.bodies {
            remap
                .parse_function_body(&mut code, body.clone())
                .map_err(re)?;
        }
        for e in &p.elements {
            remap.parse_element(&mut elements, e.clone()).map_err(re)?;
        }
        elem_base += p.elements.len() as u32;
        let mut statics = DataSection::new();
        for (i, d) in p.data.iter().enumerate() {
            let DataKind::Active {
                memory_index: 0, ..
            } = d.kind
            else {
                return Err(format!("{}: a passive data segment", p.file));
            };
            match kind(p, i as u32, d)? {
                Kind::Zeroed => {}
                Kind::Initialised if shared(&p.file) => {
                    remap.parse_data(&mut statics, d.clone()).map_err(re)?;
                }
                Kind::ReadOnly | Kind::Initialised => {
                    remap.parse_data(&mut data, d.clone()).map_err(re)?;
                    data_count += 1;
                }
            }
        }
        if !statics.is_empty() {
            let memory = imports
                .iter()
                .find(|m| matches!(m.ty, TypeRef::Memory(_)))
                .ok_or_else(|| format!("{}: data but no memory", p.file))?;
            let mut imports = ImportSection::new();
            let ty: EntityType = reencode::RoundtripReencoder
                .entity_type(memory.ty)
                .map_err(|e| e.to_string())?;
            imports.import(memory.module, memory.name, ty);
            let mut m = Module::new();
            m.section(&imports);
            m.section(&DataCountSection {
                count: statics.len(),
            });
            m.section(&statics);
            once.push((p.file.clone(), m.finish()));
        }
    }

    let mut module = Module::new();
    module.section(&type_section);
    module.section(&import_section);
    module.section(&functions);
    module.section(&elements);
    module.section(&DataCountSection { count: data_count });
    module.section(&code);
    module.section(&data);
    let mut name_section = NameSection::new();
    name_section.functions(&names);
    module.section(&name_section);
    Ok(Merged {
        wasm: module.finish(),
        once,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        ConstExpr, Function, GlobalType, Instruction as I, MemoryType, RefType, TableType, ValType,
    };

    fn memory() -> EntityType {
        EntityType::Memory(MemoryType {
            minimum: 17,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        })
    }

    fn table(minimum: u64) -> EntityType {
        EntityType::Table(TableType {
            element_type: RefType::FUNCREF,
            minimum,
            maximum: None,
            table64: false,
            shared: false,
        })
    }

    fn global() -> EntityType {
        EntityType::Global(GlobalType {
            val_type: ValType::I32,
            mutable: true,
            shared: false,
        })
    }

    /// A file as the splitter writes one: imports from the main module, its
    /// functions (each `(i32) -> i32`) in the table from `slot`, named data.
    fn part(
        globals: &[&str],
        slot: i32,
        bodies: Vec<Function>,
        data: &[(&str, i32, &[u8])],
        table_min: u64,
    ) -> Vec<u8> {
        let mut types = TypeSection::new();
        types.ty().function([ValType::I32], [ValType::I32]);
        let mut imports = ImportSection::new();
        imports.import("__wasm_split", "memory", memory());
        imports.import(
            "__wasm_split",
            "__indirect_function_table",
            table(table_min),
        );
        for g in globals {
            imports.import("__wasm_split", g, global());
        }
        let mut functions = FunctionSection::new();
        let mut code = CodeSection::new();
        for body in &bodies {
            functions.function(0);
            code.function(body);
        }
        let mut elements = ElementSection::new();
        let funcs: Vec<u32> = (0..bodies.len() as u32).collect();
        elements.active(
            None,
            &ConstExpr::i32_const(slot),
            wasm_encoder::Elements::Functions(funcs.into()),
        );
        let mut segments = DataSection::new();
        let mut names = NameMap::new();
        for (i, (name, at, bytes)) in data.iter().enumerate() {
            segments.active(0, &ConstExpr::i32_const(*at), bytes.iter().copied());
            names.append(i as u32, name);
        }
        let mut name_section = NameSection::new();
        name_section.data(&names);
        let mut m = Module::new();
        m.section(&types)
            .section(&imports)
            .section(&functions)
            .section(&elements)
            .section(&DataCountSection {
                count: data.len() as u32,
            })
            .section(&code)
            .section(&segments)
            .section(&name_section);
        m.finish()
    }

    fn body(ins: &[I]) -> Function {
        let mut f = Function::new([]);
        for i in ins {
            f.instruction(i);
        }
        f.instruction(&I::End);
        f
    }

    /// Each function body of a module, as its operators.
    fn operators(wasm: &[u8]) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            if let Ok(Payload::CodeSectionEntry(b)) = payload {
                let mut ops = Vec::new();
                let mut reader = b.get_operators_reader().unwrap();
                while !reader.eof() {
                    ops.push(format!("{:?}", reader.read().unwrap()));
                }
                out.push(ops);
            }
        }
        out
    }

    #[test]
    fn shims_to_functions_here_become_direct_calls() {
        // File a: f (slot 5) calls g through a shim of slot 10; a shim of slot
        // 99, which no file here fills, stays as it is.
        let a = part(
            &["__wasm_split_shared0"],
            5,
            vec![
                body(&[
                    I::LocalGet(0),
                    I::Call(1),
                    I::LocalGet(0),
                    I::Call(2),
                    I::I32Add,
                ]),
                body(&[
                    I::LocalGet(0),
                    I::I32Const(10),
                    I::CallIndirect {
                        type_index: 0,
                        table_index: 0,
                    },
                ]),
                body(&[
                    I::LocalGet(0),
                    I::I32Const(99),
                    I::CallIndirect {
                        type_index: 0,
                        table_index: 0,
                    },
                ]),
            ],
            &[(".rodata", 100, b"abc"), (".data", 200, b"\x01\0\0\0")],
            64,
        );
        // File b: g (slot 10) reads the stack pointer, which it imports second.
        let b = part(
            &["__wasm_split_shared1", "__wasm_split_shared0"],
            10,
            vec![body(&[I::GlobalGet(1), I::LocalGet(0), I::I32Add])],
            &[(".bss", 300, &[0; 8]), (".data", 400, b"\x02")],
            128,
        );
        let merged = merge(&[("a".to_owned(), a), ("b".to_owned(), b)], |file| {
            file == "b"
        })
        .unwrap();
        wasmparser::Validator::new()
            .validate_all(&merged.wasm)
            .unwrap();
        let ops = operators(&merged.wasm);
        // f calls g (function 3 of the merged module) directly.
        assert_eq!(ops[0][1], "Call { function_index: 3 }");
        assert_eq!(ops[0][3], "Call { function_index: 2 }");
        // g's stack pointer is the merged module's first global.
        assert_eq!(ops[3][0], "GlobalGet { global_index: 0 }");
        // The shared file's initialised statics are a module of their own;
        // its zeroed ones are left out; a's constants and statics stay.
        assert_eq!(merged.once.len(), 1);
        assert_eq!(merged.once[0].0, "b");
        wasmparser::Validator::new()
            .validate_all(&merged.once[0].1)
            .unwrap();
        let mut segments = Vec::new();
        let mut imports = Vec::new();
        for payload in Parser::new(0).parse_all(&merged.wasm) {
            match payload.unwrap() {
                Payload::DataSection(s) => {
                    segments.extend(s.into_iter().map(|d| d.unwrap().data.to_vec()))
                }
                Payload::ImportSection(s) => imports.extend(
                    s.into_imports()
                        .map(|i| i.unwrap())
                        .map(|i| (i.name.to_owned(), i.ty)),
                ),
                _ => {}
            }
        }
        assert_eq!(segments, vec![b"abc".to_vec(), b"\x01\0\0\0".to_vec()]);
        // One memory, one table as large as the larger, each global once.
        assert_eq!(imports.len(), 4);
        assert!(matches!(imports[1].1, TypeRef::Table(t) if t.initial == 128));
    }

    #[test]
    fn what_it_cannot_merge_faithfully_fails_the_build() {
        let unnamed = {
            let mut m = Module::new();
            let mut imports = ImportSection::new();
            imports.import("__wasm_split", "memory", memory());
            let mut data = DataSection::new();
            data.active(0, &ConstExpr::i32_const(8), [1u8]);
            m.section(&imports)
                .section(&DataCountSection { count: 1 })
                .section(&data);
            m.finish()
        };
        let e = merge(&[("x".to_owned(), unnamed)], |_| false)
            .err()
            .unwrap();
        assert!(e.contains("no name"), "{e}");
        let nonzero_bss = part(&[], 0, vec![], &[(".bss", 8, b"\x01")], 1);
        let e = merge(&[("y".to_owned(), nonzero_bss)], |_| false)
            .err()
            .unwrap();
        assert!(e.contains("not zero"), "{e}");
    }
}
