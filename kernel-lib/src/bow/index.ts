// The public surface of kernel-lib/src/bow: bag-of-words features, TF-IDF, similarity and a
// linear classifier, the core of lesson 01.
export * from "./sparse";
export * from "./analyze";
export * from "./vectorizer";
export * from "./tfidf";
export * from "./similarity";
export * from "./labels";
export * from "./metrics";
export * from "./split";
export * from "./logistic";
export * from "./centroid";
export * from "./task";
