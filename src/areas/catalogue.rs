//! The public fixed-cycle VPS catalogue: every plan across pages (no credentials needed), and
//! prices by slug, currency and billing cycle, for choosing a plan change or an order.

use futures::TryStreamExt;

use crate::types::{BillingCycle, ProductPrice, VpsProduct};
use crate::{Client, MAX_PAGE_SIZE, Page, Result, paginate};

/// Every plan of the public catalogue, in slug order.
///
/// ```
/// # let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/examples/listVpsProducts.200.json"));
/// # let page: hostup::types::VpsProductList = serde_json::from_str(json).unwrap();
/// use hostup::types::BillingCycle;
/// let catalogue = hostup::ProductCatalogue::new(page.data);
/// let yearly = catalogue.price("vps-xs", "SEK", &BillingCycle::Annually).unwrap();
/// assert_eq!(yearly.amount, 999.0);
/// assert!(catalogue.price("vps-xs", "EUR", &BillingCycle::Annually).is_none());
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ProductCatalogue {
    /// The plans, sorted by slug.
    pub products: Vec<VpsProduct>,
}

impl ProductCatalogue {
    /// A catalogue of these plans (sorted by slug).
    pub fn new(mut products: Vec<VpsProduct>) -> Self {
        products.sort_by(|a, b| a.slug.cmp(&b.slug));
        ProductCatalogue { products }
    }

    /// The plan with this slug.
    pub fn get(&self, slug: &str) -> Option<&VpsProduct> {
        self.products.iter().find(|p| p.slug == slug)
    }

    /// The plans that can be ordered now, in slug order.
    pub fn available(&self) -> impl Iterator<Item = &VpsProduct> {
        self.products.iter().filter(|p| p.is_available())
    }

    /// The price of plan `slug` in `currency` (ISO code, case-insensitive) and `cycle`.
    pub fn price(&self, slug: &str, currency: &str, cycle: &BillingCycle) -> Option<&ProductPrice> {
        self.get(slug)?.price(currency, cycle)
    }
}

impl VpsProduct {
    /// True unless the catalogue says `available: false` (the field was not captured in the docs
    /// and may be missing).
    pub fn is_available(&self) -> bool {
        self.available != Some(false)
    }

    /// Every price the plan lists: `billingCycles`, and the primary `billing` when it names a
    /// cycle not among them.
    pub fn prices(&self) -> Vec<&ProductPrice> {
        let mut out: Vec<&ProductPrice> = self.billing_cycles.iter().collect();
        let listed = |p: &ProductPrice| {
            out.iter().any(|o| o.billing_cycle == p.billing_cycle && o.currency_code == p.currency_code)
        };
        if !listed(&self.billing) {
            out.push(&self.billing);
        }
        out
    }

    /// The price in `currency` and `cycle`.
    pub fn price(&self, currency: &str, cycle: &BillingCycle) -> Option<&ProductPrice> {
        self.prices().into_iter().find(|p| {
            p.currency_code.eq_ignore_ascii_case(currency) && p.billing_cycle.as_ref() == Some(cycle)
        })
    }
}

/// Reads every page of the catalogue.
pub(crate) async fn read(client: &Client) -> Result<ProductCatalogue> {
    let client = client.clone();
    let products: Vec<VpsProduct> = paginate(move |cursor: Option<String>| {
        let client = client.clone();
        async move {
            let mut request = client.list_vps_products().limit(MAX_PAGE_SIZE);
            if let Some(cursor) = cursor {
                request = request.cursor(cursor);
            }
            let page = request.send().await?.into_inner();
            Ok(Page::new(page.data, page.next_cursor).with_has_more(page.has_more))
        }
    })
    .try_collect()
    .await?;
    Ok(ProductCatalogue::new(products))
}
