-- one database per service
CREATE DATABASE accounts;
CREATE DATABASE baskets;
CREATE DATABASE grouped_orders;
CREATE DATABASE payments;
CREATE DATABASE notifications;
CREATE DATABASE librisoft_bridge;
CREATE DATABASE order_desk;
CREATE DATABASE invoicing;
