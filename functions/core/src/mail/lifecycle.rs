//! Lifecycle mails: welcome, quote issued, quote accepted (customer and shop), erasure
//! done.
