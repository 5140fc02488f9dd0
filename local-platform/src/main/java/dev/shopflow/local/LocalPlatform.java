package dev.shopflow.local; public class LocalPlatform { public static void main(String[] a) {} }
