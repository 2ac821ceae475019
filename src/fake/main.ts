// Placeholder: the fake Clerk server entry point (filled in by the sending work).
console.log('fake clerk: not implemented yet');
