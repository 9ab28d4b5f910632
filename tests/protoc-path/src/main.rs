//! Prints the path of a protoc that works on this machine: the one shipped inside the
//! `protoc-bin-vendored` crate. `tf-provider`'s build script (tonic/prost) reads it from
//! `PROTOC`, so neither the demo nor the tests need the `protobuf-compiler` package.

fn main() {
    match protoc_bin_vendored::protoc_bin_path() {
        Ok(path) => println!("{}", path.display()),
        Err(err) => {
            eprintln!(
                "no vendored protoc for this platform ({err}); install protoc and set PROTOC"
            );
            std::process::exit(1);
        }
    }
}
