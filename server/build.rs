// The release binary embeds the built app from target/site; make sure the folder
// exists so the server also compiles before the app was ever built.
fn main() {
    let site = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/site");
    let _ = std::fs::create_dir_all(&site);
    println!("cargo:rerun-if-changed=../target/site");
    println!("cargo:rerun-if-changed=migrations");
}
