//! Folio's black-box tests: one binary, each test on its own database.

mod client;
mod events;
mod helpers;

mod admin_cli;
mod admin_routes;
mod admin_stories;
mod admin_updates;
mod admin_users;
mod api;
mod assets;
mod browser;
mod browser_admin;
mod browser_live;
mod browser_notifications;
mod csrf;
mod dashboard;
mod follows;
mod live;
mod live_list;
mod live_listener;
mod login;
mod logout;
mod notification_streams;
mod notifications;
mod presence;
mod raw_stream;
mod reads;
mod server;
mod signup;
mod startup;
mod stories;
mod visits;
