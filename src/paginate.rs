//! Walking cursor-paginated lists: `data` items, then the next page from `nextCursor`, until the
//! server says there is no more. Only one page is held in memory at a time.

use std::collections::HashSet;
use std::future::Future;
use std::num::NonZeroU64;

use futures::{Stream, StreamExt, TryStreamExt, stream};

use crate::{Client, Error, Result, types};

/// The largest page the API serves (`listVps`'s `limit` maximum in the spec).
pub const MAX_PAGE_SIZE: u64 = crate::limits::LIST_VPS_LIMIT_MAX;

/// One page as the paginator needs it.
///
/// ```
/// let page = hostup::Page::new(vec![1, 2], Some("next".to_string())).with_has_more(Some(true));
/// assert_eq!(page.items, [1, 2]);
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct Page<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// The cursor for the next page; `None` (or empty) on the last page.
    pub next_cursor: Option<String>,
    /// The server's `hasMore`, when it sends one; `Some(false)` ends the walk.
    pub has_more: Option<bool>,
}

impl<T> Page<T> {
    /// A page of `items`, with the cursor of the next page (`None` on the last).
    pub fn new(items: Vec<T>, next_cursor: Option<String>) -> Self {
        Page { items, next_cursor, has_more: None }
    }

    /// The server's `hasMore`, when it sends one.
    #[must_use]
    pub fn with_has_more(mut self, has_more: Option<bool>) -> Self {
        self.has_more = has_more;
        self
    }
}

/// Streams every item of a cursor-paginated list. `fetch_page(cursor)` reads one page; the first
/// call gets `None`. The walk stops at the last page, and fails instead of looping when the server
/// hands out a cursor it already gave.
#[must_use = "streams do nothing unless polled"]
pub fn paginate<T, F, Fut>(fetch_page: F) -> impl Stream<Item = Result<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    struct State<F> {
        fetch_page: F,
        cursor: Option<String>,
        seen: HashSet<String>,
        finished: bool,
    }
    let state = State { fetch_page, cursor: None, seen: HashSet::new(), finished: false };
    stream::try_unfold(state, |mut state| async move {
        if state.finished {
            return Ok(None);
        }
        let page = (state.fetch_page)(state.cursor.take()).await?;
        let next = page.next_cursor.filter(|c| !c.is_empty());
        match next {
            Some(cursor) if page.has_more != Some(false) => {
                if !state.seen.insert(cursor.clone()) {
                    return Err(Error::Pagination(format!(
                        "the server returned cursor {cursor:?} twice; stopping instead of looping"
                    )));
                }
                state.cursor = Some(cursor);
            }
            _ => state.finished = true,
        }
        Ok(Some((stream::iter(page.items.into_iter().map(Ok)), state)))
    })
    .try_flatten()
}

/// The body of [`ClientExt::vps_stream`](crate::ClientExt::vps_stream).
pub(crate) fn vps_stream(
    client: Client,
    page_size: u64,
) -> impl Stream<Item = Result<types::VpsSummary>> + Send + Unpin + 'static {
    let limit = NonZeroU64::new(page_size).filter(|n| n.get() <= MAX_PAGE_SIZE);
    let pages = paginate(move |cursor| {
        let client = client.clone();
        async move {
            let limit = limit.ok_or_else(|| {
                Error::InvalidRequest(format!("page size must be 1 to {MAX_PAGE_SIZE}, not {page_size}"))
            })?;
            let mut request = client.list_vps().limit(limit);
            if let Some(cursor) = cursor {
                request = request.cursor(cursor);
            }
            let page = request.send().await?.into_inner();
            Ok(Page::new(page.data, page.next_cursor).with_has_more(page.has_more))
        }
    });
    pages.boxed()
}
