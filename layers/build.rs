//! Generates the TAK Protocol Version 1 codec from `proto/tak_v1.proto`:
//! protox compiles the schema (no `protoc` needed), prost-build writes the
//! Rust types into `OUT_DIR`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let schema = "proto/tak_v1.proto";
    println!("cargo:rerun-if-changed={schema}");
    let descriptors = protox::compile([schema], ["proto"])?;
    prost_build::Config::new().compile_fds(descriptors)?;
    Ok(())
}
