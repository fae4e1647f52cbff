//! `deploy/scale/nginx.conf` in front of two nodes, run by a real nginx
//! (Debian's): page views spread over both nodes with no sticky sessions,
//! a login holds on whichever node answers, and live figures pass through
//! as they happen. Only the replicas' address (Docker's DNS name, with
//! `resolve`, which needs nginx 1.27.3) and the listening port are changed
//! for loopback ones; every other line is the deployed file's.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::patience;
use crate::raw_stream::RawStream;
use crate::redis_engine::Redis;
use crate::two_nodes::two_nodes_with;
use crate::wire::request;

/// A running nginx with the deployed configuration, stopped when dropped.
struct Nginx {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Nginx {
    fn start(replicas: &[u16]) -> Nginx {
        let dir = tempfile::tempdir().expect("a directory");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let deployed = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/scale/nginx.conf");
        let deployed = std::fs::read_to_string(deployed).expect("deploy/scale/nginx.conf");
        let servers: Vec<String> = replicas
            .iter()
            .map(|p| format!("server 127.0.0.1:{p};"))
            .collect();
        let site = deployed
            .replace("server folio:8000 resolve;", &servers.join(" "))
            .replace("listen 80;", &format!("listen 127.0.0.1:{port};"));
        assert!(
            site.contains(&servers[0]) && site.contains(&format!("listen 127.0.0.1:{port};")),
            "the deployed file no longer has the lines this test changes"
        );
        let d = dir.path().display();
        std::fs::write(dir.path().join("site.conf"), site).expect("the site");
        let main = format!(
            "daemon off; user root; worker_processes 1; pid {d}/nginx.pid; error_log {d}/error.log;
             events {{ worker_connections 256; }}
             http {{
               log_format upstream '$upstream_addr $status $request';
               access_log {d}/access.log upstream;
               client_body_temp_path {d}/body; proxy_temp_path {d}/proxy;
               fastcgi_temp_path {d}/fastcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
               include {d}/site.conf;
             }}"
        );
        std::fs::write(dir.path().join("nginx.conf"), main).expect("the main configuration");
        let child = Command::new("nginx")
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(dir.path().join("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("nginx runs (apt-get install nginx-light)");
        let nginx = Nginx { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "nginx did not start: {}",
                nginx.errors()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        nginx
    }

    fn errors(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }

    /// The replica that answered each request, as nginx logged it.
    fn answered_by(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("access.log"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split(' ').next().map(String::from))
            .collect()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        crate::helpers::kill_group(&mut self.child);
    }
}

#[rocket::async_test]
#[ignore = "needs nginx and redis-server"]
async fn behind_the_deployed_nginx_both_nodes_serve_one_login_and_live_figures_flow() {
    let redis = Redis::start();
    let (a, b) = two_nodes_with(&redis, |figment| figment).await;
    let nginx = Nginx::start(&[a.port, b.port]);
    let story = a.add_story("Seat 14", "Text").await;
    let (ann, cyd) = (a.login_cookie("ann").await, a.login_cookie("cyd").await);

    // Six page views of a login made on A: every one is ann's, whichever
    // node nginx chose, and both nodes answered some.
    for _ in 0..6 {
        let (status, page) = request(nginx.port, "GET", "/account", &ann, "").await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("ann"), "{page}");
    }
    let replicas: std::collections::HashSet<String> = nginx.answered_by().into_iter().collect();
    let both = [a.port, b.port].map(|p| format!("127.0.0.1:{p}"));
    assert!(
        both.iter().all(|r| replicas.contains(r)),
        "requests went only to {replicas:?}"
    );

    // A live page open through nginx hears of a first read made through it
    // (on either node) within a second: events are not held back.
    let live = format!("GET /live/stories/{story} HTTP/1.1");
    let mut page = RawStream::open(nginx.port, &live, Some(&ann)).await;
    let first = page.next_data().await.expect("the first figures");
    assert_eq!(first["reads"], 0, "{first}");
    let started = Instant::now();
    let (status, _) = request(nginx.port, "GET", &format!("/stories/{story}"), &cyd, "").await;
    assert_eq!(status, 200);
    loop {
        let data = page.next_data().await.expect("figures through nginx");
        if data["reads"] == 1 {
            break;
        }
    }
    assert!(
        started.elapsed() < patience(Duration::from_secs(1)),
        "the read took {:?} to come through nginx; {}",
        started.elapsed(),
        nginx.errors()
    );
}
