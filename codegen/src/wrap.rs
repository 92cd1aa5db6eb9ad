//! Rewrites of progenitor's output (a syntax tree, not text), so the public API is the crate's own:
//!
//! - every builder's `send()` returns `crate::Result<ResponseValue<T>>`: progenitor's method is
//!   renamed `send_raw` and made private, and a `send` that converts its error takes its place, so
//!   progenitor's error type (whose `Display` and `Debug` print whole bodies) never reaches a user;
//! - the raw constructors are removed (`Client::new`, which panics on a TLS failure) or made
//!   `pub(crate)` (`Client::new_with_client`): a client is built only by `ClientBuilder`, so the
//!   API key cannot be pointed at another origin;
//! - every builder struct is `#[must_use]`, the operations' (`builder`) and the types'
//!   (`types::builder`): one that is dropped unsent or unconverted did nothing.
//!
//! It also reports the operation names progenitor gives the hooks, for the table's check.

use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::{
    Attribute, GenericArgument, ImplItem, ImplItemFn, Item, ItemImpl, PathArguments, ReturnType, Type,
    Visibility,
};

/// Why an operation builder must be used, as the compiler says it.
const REQUEST_BUILDER_UNUSED: &str = "a request builder sends nothing until `.send().await`";
/// Why a type builder must be used.
const TYPE_BUILDER_UNUSED: &str = "a type builder builds nothing until it is converted (`try_into()`)";

/// What the rewrite saw: the snake-case operation names in `OperationInfo { operation_id }`.
pub struct Wrapped {
    pub file: syn::File,
    pub operation_names: Vec<String>,
}

/// Applies the rewrites; fails when progenitor's output no longer has the expected shape.
pub fn rewrite(tokens: proc_macro2::TokenStream) -> Result<Wrapped, String> {
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generated code does not parse: {e}"))?;
    let mut visitor = Visitor::default();
    for item in &mut file.items {
        visitor.item(item, &[]);
    }
    if visitor.sends == 0 || visitor.sends != visitor.operation_names.len() {
        return Err(format!(
            "progenitor's output changed shape: {} `send` methods for {} operations",
            visitor.sends,
            visitor.operation_names.len()
        ));
    }
    if visitor.request_builders != visitor.sends {
        return Err(format!(
            "progenitor's output changed shape: {} request builders marked `#[must_use]` for {} `send` methods",
            visitor.request_builders, visitor.sends
        ));
    }
    if !visitor.hid_constructor {
        return Err("progenitor's output has no `Client::new_with_client` to hide".into());
    }
    if let Some(error) = visitor.error {
        return Err(error);
    }
    Ok(Wrapped { file, operation_names: visitor.operation_names })
}

#[derive(Default)]
struct Visitor {
    sends: usize,
    /// Structs of the top-level `builder` module marked `#[must_use]`.
    request_builders: usize,
    operation_names: Vec<String>,
    hid_constructor: bool,
    error: Option<String>,
}

impl Visitor {
    /// Items at any depth: `impl Client`, the builders' impls and structs. `modules` is the path
    /// of modules the item is in (`["types", "builder"]`).
    fn item(&mut self, item: &mut Item, modules: &[String]) {
        match item {
            Item::Impl(imp) if imp.trait_.is_none() && is_named(&imp.self_ty, "Client") => {
                hide_constructors(imp, &mut self.hid_constructor);
            }
            Item::Impl(imp) if imp.trait_.is_none() => self.wrap_send(imp),
            Item::Struct(s) if modules == ["builder"] => {
                mark_must_use(&mut s.attrs, REQUEST_BUILDER_UNUSED);
                self.request_builders += 1;
            }
            Item::Struct(s) if modules == ["types", "builder"] => {
                mark_must_use(&mut s.attrs, TYPE_BUILDER_UNUSED);
            }
            Item::Mod(module) => {
                let path = [modules, &[module.ident.to_string()]].concat();
                for inner in module.content.iter_mut().flat_map(|(_, items)| items.iter_mut()) {
                    self.item(inner, &path);
                }
            }
            _ => {}
        }
    }
}

impl Visitor {
    /// Renames a builder's `send` to a private `send_raw` and adds a `send` returning `crate::Result`.
    fn wrap_send(&mut self, item: &mut ItemImpl) {
        let Some(index) =
            item.items.iter().position(|i| matches!(i, ImplItem::Fn(f) if f.sig.ident == "send"))
        else {
            return;
        };
        let ImplItem::Fn(raw) = &mut item.items[index] else { unreachable!("matched above") };
        let Some(value) = ok_type(&raw.sig.output) else {
            self.error = Some(format!("a `send` returns an unexpected type: {}", quote!(#raw)));
            return;
        };
        collect_operation_ids(raw.block.to_token_stream(), &mut self.operation_names);
        let docs: Vec<_> = raw.attrs.iter().filter(|a| a.path().is_ident("doc")).cloned().collect();
        raw.sig.ident = syn::Ident::new("send_raw", raw.sig.ident.span());
        raw.vis = Visibility::Inherited;
        raw.attrs.retain(|a| !a.path().is_ident("doc"));
        let wrapper: ImplItemFn = syn::parse_quote! {
            #(#docs)*
            ///
            /// Errors are [`hostup::Error`](crate::Error): Problem Details, transport, decode
            /// failures (with a redacted excerpt) and the client's own refusals.
            pub async fn send(self) -> crate::Result<#value> {
                let client = self.client;
                self.send_raw().await.map_err(|e| crate::error::from_generated(e, client))
            }
        };
        item.items.insert(index, ImplItem::Fn(wrapper));
        self.sends += 1;
    }
}

/// The string after every `operation_id :` (the `OperationInfo` a `send` gives the hooks).
fn collect_operation_ids(tokens: TokenStream, out: &mut Vec<String>) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            TokenTree::Group(group) => collect_operation_ids(group.stream(), out),
            TokenTree::Ident(ident) if ident == "operation_id" => {
                if let (Some(TokenTree::Punct(colon)), Some(TokenTree::Literal(lit))) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                    && colon.as_char() == ':'
                    && let Ok(syn::Lit::Str(s)) = syn::parse2::<syn::Lit>(lit.to_token_stream())
                {
                    out.push(s.value());
                }
            }
            _ => {}
        }
    }
}

/// Adds `#[must_use = why]` unless progenitor already gave the item one.
fn mark_must_use(attrs: &mut Vec<Attribute>, why: &str) {
    if !attrs.iter().any(|a| a.path().is_ident("must_use")) {
        attrs.push(syn::parse_quote!(#[must_use = #why]));
    }
}

fn hide_constructors(item: &mut ItemImpl, found: &mut bool) {
    item.items.retain(|i| !matches!(i, ImplItem::Fn(f) if f.sig.ident == "new"));
    for i in &mut item.items {
        if let ImplItem::Fn(f) = i
            && f.sig.ident == "new_with_client"
        {
            f.vis = syn::parse_quote!(pub(crate));
            *found = true;
        }
    }
}

fn is_named(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(p) if p.path.is_ident(name))
}

/// `T` of `Result<T, E>`.
fn ok_type(output: &ReturnType) -> Option<Type> {
    let ReturnType::Type(_, ty) = output else { return None };
    let Type::Path(path) = &**ty else { return None };
    let last = path.path.segments.last().filter(|s| s.ident == "Result")?;
    let PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    match args.args.first()? {
        GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
        pub struct Client { inner: u8 }
        impl Client {
            pub fn new(baseurl: &str) -> Self { todo!() }
            pub fn new_with_client(baseurl: &str) -> Self { todo!() }
        }
        pub mod types {
            pub struct Vps { id: String }
            pub mod builder {
                pub struct Vps { id: Result<String, String> }
            }
        }
        pub mod builder {
            pub struct GetVps<'a> { client: &'a super::Client }
            impl<'a> GetVps<'a> {
                ///Sends a `GET` request
                pub async fn send(self) -> Result<ResponseValue<types::Vps>, Error<types::ProblemDetails>> {
                    let info = OperationInfo { operation_id: "get_vps" };
                    todo!()
                }
            }
        }
    "#;

    #[test]
    fn send_returns_the_crate_result_and_constructors_are_hidden() {
        let wrapped = rewrite(SAMPLE.parse().unwrap()).unwrap();
        assert_eq!(wrapped.operation_names, ["get_vps"]);
        let code = prettyplease::unparse(&wrapped.file);
        assert!(
            code.contains("pub async fn send(self) -> crate::Result<ResponseValue<types::Vps>>"),
            "{code}"
        );
        assert!(code.contains("async fn send_raw(") && !code.contains("pub async fn send_raw"), "{code}");
        assert!(!code.contains("pub fn new("), "{code}");
        assert!(code.contains("pub(crate) fn new_with_client("), "{code}");
    }

    #[test]
    fn builders_are_must_use_and_nothing_else_is() {
        let code = prettyplease::unparse(&rewrite(SAMPLE.parse().unwrap()).unwrap().file);
        let flat: String = code.split_whitespace().collect();
        let marked = |why: &str, item: &str| {
            let expected = format!("#[must_use = \"{why}\"] pub struct {item}");
            flat.contains(&expected.split_whitespace().collect::<String>())
        };
        assert!(marked(REQUEST_BUILDER_UNUSED, "GetVps<'a>"), "{code}");
        assert!(marked(TYPE_BUILDER_UNUSED, "Vps { id: Result"), "{code}");
        assert_eq!(code.matches("#[must_use").count(), 2, "only the two builders: {code}");
    }

    #[test]
    fn a_request_builder_without_send_fails() {
        let extra = SAMPLE.replace("pub mod builder {", "pub mod builder {\n pub struct Stray;");
        let err = rewrite(extra.parse().unwrap()).err().expect("the count differs");
        assert!(err.contains("2 request builders"), "{err}");
    }

    #[test]
    fn a_changed_shape_fails() {
        let without_sends = "impl Client { pub fn new_with_client() {} }";
        assert!(rewrite(without_sends.parse().unwrap()).is_err());
    }
}
