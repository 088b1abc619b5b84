#![no_main]
libfuzzer_sys::fuzz_target!(|case: aftersale_rules_fuzz::Shaped| aftersale_rules_fuzz::decision(&case));
