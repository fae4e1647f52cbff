use super::*;
use crate::ids::UserId;

fn budget(per_session: usize, per_address: usize, anonymous: usize, total: usize) -> Arc<Budget> {
    let limits = StreamLimits {
        per_session,
        per_address,
        anonymous,
        total,
    };
    Arc::new(Budget::new(limits, Arc::default()))
}

fn reader(session: i64) -> SessionUser {
    SessionUser {
        session_id: SessionId(session),
        token_hash: Vec::new(),
        user_id: UserId(session),
        username: format!("r{session}"),
        is_admin: false,
        expires_at: unix_now() + 3_600,
    }
}

fn ip(s: &str) -> Option<IpAddr> {
    s.parse().ok()
}

#[test]
fn each_budget_refuses_past_its_share_and_frees_it_when_a_stream_ends() {
    let budget = budget(2, 3, 1, 5);
    let alice = reader(1);
    let a = budget.admit(Some(&alice), ip("10.0.0.1")).ok();
    let b = budget.admit(Some(&alice), ip("10.0.0.1")).ok();
    assert!(a.is_some() && b.is_some());
    let third = budget.admit(Some(&alice), ip("10.0.0.2"));
    assert!(matches!(third, Err(Error::Limited { .. })));
    assert_eq!(budget.refused(Refusal::Session), 1);
    drop(a);
    assert!(budget.admit(Some(&alice), ip("10.0.0.2")).is_ok());

    let visitor = budget.admit(None, ip("10.0.0.3"));
    assert!(visitor.is_ok());
    let second_visitor = budget.admit(None, ip("10.0.0.4"));
    assert!(matches!(second_visitor, Err(Error::Busy { .. })));
    assert_eq!(budget.refused(Refusal::Anonymous), 1);
}

#[test]
fn an_ipv6_client_is_its_slash_64() {
    let budget = budget(10, 2, 10, 10);
    let _one = budget.admit(None, ip("2001:db8:1:2::1"));
    let _two = budget.admit(None, ip("2001:db8:1:2:ffff::9"));
    let same_block = budget.admit(None, ip("2001:db8:1:2:abcd::1"));
    assert!(matches!(same_block, Err(Error::Limited { .. })));
    assert!(budget.admit(None, ip("2001:db8:1:3::1")).is_ok());
    // An IPv4 client seen through IPv6 is the IPv4 client.
    let _v4 = budget.admit(None, ip("192.0.2.7"));
    let _v4_again = budget.admit(None, ip("::ffff:192.0.2.7"));
    assert!(matches!(
        budget.admit(None, ip("192.0.2.7")),
        Err(Error::Limited { .. })
    ));
}

#[test]
fn the_total_ceiling_holds_whoever_asks() {
    let budget = budget(10, 10, 10, 2);
    let _a = budget.admit(None, ip("10.0.0.1"));
    let _b = budget.admit(Some(&reader(1)), ip("10.0.0.2"));
    assert!(matches!(
        budget.admit(Some(&reader(2)), ip("10.0.0.3")),
        Err(Error::Busy { .. })
    ));
    assert_eq!(budget.refused(Refusal::Total), 1);
}

#[rocket::async_test]
async fn ending_a_login_ends_its_streams_and_no_other() {
    let budget = budget(10, 10, 10, 10);
    let mut alice = budget.admit(Some(&reader(1)), None).expect("admitted");
    let mut bob = budget.admit(Some(&reader(2)), None).expect("admitted");
    assert_eq!(budget.sessions().len(), 2);
    budget.end_sessions([SessionId(1)]);
    rocket::tokio::time::timeout(std::time::Duration::from_secs(1), alice.ended())
        .await
        .expect("alice's stream ends");
    let still = rocket::tokio::time::timeout(std::time::Duration::from_millis(50), bob.ended());
    assert!(still.await.is_err(), "bob's stream goes on");
    assert_eq!(budget.sessions(), [SessionId(2)]);
    drop(alice);
    assert_eq!(budget.sessions(), [SessionId(2)]);
}
