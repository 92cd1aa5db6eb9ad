//! Hostile ids stay inside their path segment, or are refused before anything is sent.

use hostup::Error;

use crate::support::*;

#[tokio::test]
async fn special_characters_are_encoded_into_one_segment() {
    let server = ScriptServer::start(vec![json(200, &fixture("getVpsDetails.200"))]).await;
    let client = client(&server.base);
    for id in ["a/b", "a?b=1", "a#frag", "a b", "a..b", "../x", "%2e%2e", "vps_ä"] {
        client.get_vps_details().id(id).send().await.unwrap();
    }
    assert!(server.seen().iter().all(|s| s.method == "GET"));
    let paths: Vec<String> = server.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(
        paths,
        [
            "/api/v2/vps/a%2Fb/details",
            "/api/v2/vps/a%3Fb=1/details",
            "/api/v2/vps/a%23frag/details",
            "/api/v2/vps/a%20b/details",
            "/api/v2/vps/a..b/details",
            "/api/v2/vps/..%2Fx/details",
            "/api/v2/vps/%252e%252e/details",
            "/api/v2/vps/vps_%C3%A4/details",
        ]
    );
}

#[tokio::test]
async fn dot_segments_and_empty_ids_are_refused_before_sending() {
    let server = ScriptServer::start(vec![json(200, "{}")]).await;
    let client = client(&server.base);
    for id in ["..", ".", ""] {
        let err = client.get_vps_details().id(id).send().await.map(drop).map_err(Error::from).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{id:?}: {err:?}");
        let err = client.get_vps().id(id).send().await.map(drop).map_err(Error::from).unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{id:?}: {err:?}");
    }
    assert_eq!(server.count(), 0);
}
