#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| aftersale_rules_fuzz::policy(data));
